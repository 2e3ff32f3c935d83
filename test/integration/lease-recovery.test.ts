/**
 * A crash between the dispatcher's lease and the send (issue #12, item 5): the in-process queue
 * dies with the process, so its leases would keep the invitations unsent for the lease's 35
 * minutes. The next start releases the leases of the process that is gone, the next dispatch sends
 * them, and still at most once. Two platforms on one data directory play the two processes.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DISPATCH_LEASE_MS } from '../../functions/app/dispatch';
import { startLocalPlatform, type LocalPlatform } from '../../functions/local/platform';
import { AdjustableClock } from '../../functions/shared/clock';
import { fixture } from '../helpers/platform';

const dataDir = mkdtempSync(join(tmpdir(), 'manyi-lease-'));
const ADMIN_TOKEN = 'lease-recovery-admin-token-0123456789';
const T0 = new Date('2026-11-10T02:00:00Z');
const running: LocalPlatform[] = [];

async function start(): Promise<LocalPlatform> {
  const clock = new AdjustableClock();
  clock.freeze(T0);
  const platform = await startLocalPlatform({ dataDir, adminToken: ADMIN_TOKEN, computeEveryMinutes: 0, dispatchEveryMinutes: 0, logLevel: 'SILENT', clock });
  running.push(platform);
  return platform;
}

const call = async (platform: LocalPlatform, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${platform.url}${path}`, { method, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, body: (await res.json()) as any };
};

afterAll(async () => {
  for (const platform of running) await platform.stop().catch(() => {});
  rmSync(dataDir, { recursive: true, force: true });
});

describe('leases of a process that is gone', () => {
  it('are released at the next start and sent by the next dispatch, once', async () => {
    const first = await start();
    expect([200, 201]).toContain((await call(first, 'POST', '/admin/surveys', fixture('mini-csi.yaml'))).status);
    expect((await call(first, 'POST', '/admin/org-units', { units: [{ id: 'b1', name: 'B1' }] })).status).toBe(200);
    const sms = { signature: '【示例银行】', template: { 'zh-CN': '您好，请评价：{link}' }, marketing: false };
    const created = await call(first, 'POST', '/admin/campaigns', { surveyId: 'mini-csi', channel: 'sms', sms, contacts: [{ orgUnitId: 'b1', phone: '13800138000' }] });
    expect(created.status).toBe(201);
    // The first process leases the invitation for its queue, then dies before the queue delivers it.
    const [due] = await first.deps.store.dueInvitations(T0.toISOString(), 10);
    expect(due).toBeDefined();
    expect(await first.deps.store.leaseDue(due!, new Date(T0.getTime() + DISPATCH_LEASE_MS).toISOString(), first.queue.leaseOwner)).toBe(true);
    expect(await first.deps.store.dueInvitations(T0.toISOString(), 10)).toEqual([]);
    await first.stop();

    const second = await start();
    expect(second.queue.leaseOwner).not.toBe(first.queue.leaseOwner);
    const dispatched = await call(second, 'POST', '/admin/jobs/dispatch', {});
    expect(dispatched.body.queued).toBe(1);
    expect(second.outbox.list('sms').filter((message) => message.campaignId === created.body.campaignId)).toHaveLength(1);
    // At most once: a further dispatch finds nothing due.
    expect((await call(second, 'POST', '/admin/jobs/dispatch', {})).body.queued).toBe(0);
    // The outbox file keeps the number masked (issue #12, item 6); the live outbox has it whole.
    expect(second.outbox.list('sms').some((message) => message.to === '+8613800138000')).toBe(true);
    const file = readFileSync(join(dataDir, 'outbox.jsonl'), 'utf8');
    expect(file).toContain(created.body.campaignId);
    expect(file).not.toContain('13800138000');
  });

  it('of the live process are kept', async () => {
    const live = running[running.length - 1]!;
    const created = await call(live, 'POST', '/admin/campaigns', {
      surveyId: 'mini-csi',
      channel: 'sms',
      sms: { signature: '【示例银行】', template: { 'zh-CN': '您好：{link}' }, marketing: false },
      contacts: [{ orgUnitId: 'b1', phone: '13800138001' }],
    });
    const [due] = await live.deps.store.dueInvitations(T0.toISOString(), 10);
    await live.deps.store.leaseDue(due!, new Date(T0.getTime() + DISPATCH_LEASE_MS).toISOString(), live.queue.leaseOwner);
    expect(await live.deps.store.releaseOrphanedLeases(live.queue.leaseOwner, T0.toISOString(), new Date(T0.getTime() + DISPATCH_LEASE_MS).toISOString())).toBe(0);
    expect(created.status).toBe(201);
  });
});
