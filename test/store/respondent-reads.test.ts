/**
 * What one respondent request costs the table, counted at the DynamoDB client through HTTP: the
 * invitation is read once (its status says whether it is answered); its questionnaire version is
 * read once per container and then kept (versions never change); a submit writes the response
 * with one conditional put and marks the invitation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform';

let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform();
  expect((await platform.api('POST', '/admin/surveys', { body: fixture('mini-csi.yaml') })).status).toBe(201);
  expect((await platform.api('POST', '/admin/org-units', { body: { units: [{ id: 'hq', name: 'HQ' }] } })).status).toBe(200);
});
afterAll(async () => {
  await platform?.stop();
});

async function inviteOne(extra: Record<string, unknown> = {}): Promise<string> {
  const res = await platform.api('POST', '/admin/campaigns', { body: { surveyId: 'mini-csi', channel: 'link', contacts: [{ orgUnitId: 'hq' }], ...extra } });
  expect(res.status, res.text).toBe(201);
  return (res.body as { invitations: { token: string }[] }).invitations[0]!.token;
}

const READS = new Set(['GetItemCommand', 'QueryCommand', 'BatchGetItemCommand', 'ScanCommand']);

/** The status of one request and the table reads and writes it made. */
async function readsOf(request: () => Promise<{ status: number }>): Promise<{ status: number; reads: string[]; writes: string[] }> {
  const before = platform.commands.length;
  const { status } = await request();
  const commands = platform.commands.slice(before);
  return { status, reads: commands.filter((command) => READS.has(command)), writes: commands.filter((command) => !READS.has(command)) };
}

const formPost = (token: string, body: string) =>
  platform.api('POST', `/s/${token}`, { token: null, body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });

describe('respondent reads', () => {
  it('the first request for a questionnaire version reads it; later ones take it from memory', async () => {
    const first = await inviteOne();
    const page = await readsOf(() => platform.api('GET', `/s/${first}`, { token: null }));
    expect(page.status).toBe(200);
    expect(page.reads).toEqual(['GetItemCommand', 'GetItemCommand']); // the invitation, the version
    const again = await readsOf(() => platform.api('GET', `/s/${first}`, { token: null }));
    expect(again.reads).toEqual(['GetItemCommand']);
    expect(again.writes).toEqual([]);
  });

  it('a stored form post reads the invitation only, and writes the response once and the invitation', async () => {
    const token = await inviteOne();
    const { status, reads, writes } = await readsOf(() => formPost(token, 'lang=en&q1=4&q4=5'));
    expect(status).toBe(303);
    expect(reads).toEqual(['GetItemCommand']);
    expect(writes).toEqual(['PutItemCommand', 'UpdateItemCommand']);
    // The thank-you page knows it from the invitation.
    const thanks = await readsOf(() => platform.api('GET', `/s/${token}/thanks?lang=en`, { token: null }));
    expect(thanks.status).toBe(200);
    expect(thanks.reads).toEqual(['GetItemCommand']);
  });

  it('a refused form post (the form again with its problems) reads as much and writes nothing', async () => {
    const token = await inviteOne();
    const { status, reads, writes } = await readsOf(() => formPost(token, 'lang=en&q4=5'));
    expect(status).toBe(400);
    expect(reads).toEqual(['GetItemCommand']);
    expect(writes).toEqual([]);
  });

  it('a form post to an answered invitation reads as much and shows the answered page', async () => {
    const token = await inviteOne();
    expect((await formPost(token, 'lang=en&q1=4')).status).toBe(303);
    const { status, reads, writes } = await readsOf(() => formPost(token, 'lang=en&q1=2'));
    expect(status).toBe(409);
    expect(reads).toEqual(['GetItemCommand']);
    expect(writes).toEqual([]);
  });

  it('a JSON post reads as much', async () => {
    const token = await inviteOne();
    const { status, reads, writes } = await readsOf(() => platform.api('POST', `/s/${token}`, { token: null, body: { answers: { q1: 4 } } }));
    expect(status).toBe(201);
    expect(reads).toEqual(['GetItemCommand']);
    expect(writes).toEqual(['PutItemCommand', 'UpdateItemCommand']);
  });

  it('a form post with an unknown token reads only the invitation', async () => {
    const { status, reads } = await readsOf(() => formPost('not-a-real-token-at-all', 'lang=en&q1=4'));
    expect(status).toBe(404);
    expect(reads).toHaveLength(1);
  });

  it('a response whose invitation was not marked (a crash in between) is found by the submit, which marks it', async () => {
    const token = await inviteOne();
    const invitation = (await platform.deps.store.getInvitationByToken(token))!;
    const stored = await platform.deps.store.putResponseOnce({
      responseId: 'rsp-crash',
      invitationId: invitation.invitationId,
      campaignId: invitation.campaignId,
      surveyId: invitation.surveyId,
      version: invitation.version,
      orgUnitId: invitation.orgUnitId,
      channel: 'link',
      period: '2026-11',
      submittedAt: platform.clock.now().toISOString(),
      lang: 'en',
      answers: { q1: 3 },
    });
    expect(stored).not.toBe('duplicate');
    const form = await platform.api('GET', `/s/${token}?lang=en`, { token: null });
    expect(form.status).toBe(200);
    expect(form.text).toContain('<form'); // the form, once more
    const again = await platform.api('POST', `/s/${token}`, { token: null, body: { answers: { q1: 5 } } });
    expect(again.status).toBe(409);
    expect((await platform.deps.store.getInvitationByToken(token))?.status).toBe('responded');
    const page = await platform.api('GET', `/s/${token}?lang=en`, { token: null });
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('<form');
    expect((await platform.deps.store.getResponse(invitation.invitationId))?.responseId).toBe('rsp-crash');
  });
});
