/**
 * What one respondent request costs the table, counted at the DynamoDB client through HTTP: the
 * invitation and its response are read together, with one Query of the token's partition (the
 * response says whether it is answered); its questionnaire version is read once per container and
 * then kept (versions never change); a submit writes the response with one conditional put and
 * nothing else. The case configuration (alert rules added through the API, case settings) is read
 * by a container's first submit and then once a minute (app/case-opening.ts): a warm-up submit in
 * the set-up reads it, as every container's first submit does, and is counted there. Invitations stored before responses moved into that partition are read too.
 * On dynalite (the platform's own) and on DynamoDB Local.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform';
import { platformBackend } from '../helpers/dynamodb-backend';
import type { ResponseRecord } from '../../functions/domain/records';

let platform: TestPlatform;
let backend: Awaited<ReturnType<typeof platformBackend>>;

beforeAll(async () => {
  backend = await platformBackend('respondent-reads');
  platform = await startTestPlatform(undefined, backend.options);
  expect((await platform.api('POST', '/admin/surveys', { body: fixture('mini-csi.yaml') })).status).toBe(201);
  expect((await platform.api('POST', '/admin/org-units', { body: { units: [{ id: 'hq', name: 'HQ' }] } })).status).toBe(200);
  // Another questionnaire, so the first test still finds mini-csi's version unread.
  expect((await platform.api('POST', '/admin/surveys', { body: { ...fixture('mini-csi.yaml'), id: 'warm-up' } })).status).toBe(201);
  const warmUp = await inviteOne({ surveyId: 'warm-up' });
  const before = platform.commands.length;
  expect((await platform.api('POST', `/s/${warmUp}`, { token: null, body: { answers: { q1: 4 } } })).status).toBe(201);
  // The container's first submit: the invitation's partition, the version, the case configuration.
  expect(platform.commands.slice(before).filter((name) => READS.has(name))).toEqual(['QueryCommand', 'GetItemCommand', 'QueryCommand']);
});
afterAll(async () => {
  await platform?.stop();
  await backend?.close();
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
    expect(page.reads).toEqual(['QueryCommand', 'GetItemCommand']); // the invitation with its response, the version
    const again = await readsOf(() => platform.api('GET', `/s/${first}`, { token: null }));
    expect(again.reads).toEqual(['QueryCommand']);
    expect(again.writes).toEqual([]);
  });

  it('a stored form post reads the invitation with its response once, and writes the response once and nothing else', async () => {
    const token = await inviteOne();
    const { status, reads, writes } = await readsOf(() => formPost(token, 'lang=en&q1=4&q4=5'));
    expect(status).toBe(303);
    expect(reads).toEqual(['QueryCommand']);
    expect(writes).toEqual(['PutItemCommand']);
    // The thank-you page knows it from the response beside the invitation.
    const thanks = await readsOf(() => platform.api('GET', `/s/${token}/thanks?lang=en`, { token: null }));
    expect(thanks.status).toBe(200);
    expect(thanks.reads).toEqual(['QueryCommand']);
  });

  it('a refused form post (the form again with its problems) reads as much and writes nothing', async () => {
    const token = await inviteOne();
    const { status, reads, writes } = await readsOf(() => formPost(token, 'lang=en&q4=5'));
    expect(status).toBe(400);
    expect(reads).toEqual(['QueryCommand']);
    expect(writes).toEqual([]);
  });

  it('a form post to an answered invitation reads as much and shows the answered page', async () => {
    const token = await inviteOne();
    expect((await formPost(token, 'lang=en&q1=4')).status).toBe(303);
    const { status, reads, writes } = await readsOf(() => formPost(token, 'lang=en&q1=2'));
    expect(status).toBe(409);
    expect(reads).toEqual(['QueryCommand']);
    expect(writes).toEqual([]);
  });

  it('a JSON post reads as much', async () => {
    const token = await inviteOne();
    const { status, reads, writes } = await readsOf(() => platform.api('POST', `/s/${token}`, { token: null, body: { answers: { q1: 4 } } }));
    expect(status).toBe(201);
    expect(reads).toEqual(['QueryCommand']);
    expect(writes).toEqual(['PutItemCommand']);
  });

  it('a form post with an unknown token reads only the invitation', async () => {
    const { status, reads } = await readsOf(() => formPost('not-a-real-token-at-all', 'lang=en&q1=4'));
    expect(status).toBe(404);
    expect(reads).toHaveLength(1);
  });

  it('50 concurrent submits of one link store exactly one response', async () => {
    const token = await inviteOne();
    const attempts = await Promise.all(
      Array.from({ length: 50 }, (_, i) => platform.api('POST', `/s/${token}`, { token: null, body: { answers: { q1: 1 + (i % 5) } } })),
    );
    const statuses = attempts.map((attempt) => attempt.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(49);
    const winner = attempts.find((attempt) => attempt.status === 201)?.body.responseId;
    const invitationId = (await platform.deps.store.getInvitationByToken(token))!.invitationId;
    // The computation's listing (GSI1) holds it once.
    const listed: ResponseRecord[] = [];
    for await (const page of platform.deps.store.responsesOf('mini-csi', '2026-11')) listed.push(...page.filter((r) => r.invitationId === invitationId));
    expect(listed.map((r) => r.responseId)).toEqual([winner]);
    expect((await platform.deps.store.getResponse(token))?.responseId).toBe(winner);
  });

  describe('invitations stored before responses moved into their partition', () => {
    /** An invitation as the layout before wrote it: without the marker; its response, if any, under RESPONSE#invitationId. */
    async function legacyInvitation(options: { status?: 'responded'; response?: boolean } = {}): Promise<{ token: string; invitationId: string }> {
      const token = await inviteOne();
      const invitation = (await platform.deps.store.getInvitationByToken(token))!;
      const { client, tableName } = platform.deps.store;
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { pk: `TOKEN#${token}`, sk: 'INVITATION' },
          UpdateExpression: options.status ? 'REMOVE responseInPartition SET #status = :status' : 'REMOVE responseInPartition',
          ...(options.status ? { ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':status': options.status } } : {}),
        }),
      );
      if (options.response) {
        const submittedAt = platform.clock.now().toISOString();
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              pk: `RESPONSE#${invitation.invitationId}`,
              sk: 'RESPONSE',
              gsi1pk: 'RESPONSES#mini-csi#2026-11',
              gsi1sk: `${submittedAt}#${invitation.invitationId}`,
              entity: 'Response',
              responseId: `rsp-legacy-${invitation.invitationId}`,
              invitationId: invitation.invitationId,
              campaignId: invitation.campaignId,
              surveyId: invitation.surveyId,
              version: invitation.version,
              orgUnitId: invitation.orgUnitId,
              channel: 'link',
              period: '2026-11',
              submittedAt,
              lang: 'en',
              answers: { q1: 3 },
            },
          }),
        );
      }
      return { token, invitationId: invitation.invitationId };
    }

    it('one marked responded is answered in one read, and its response is found under the old key', async () => {
      const { token, invitationId } = await legacyInvitation({ status: 'responded', response: true });
      const page = await readsOf(() => platform.api('GET', `/s/${token}?lang=en`, { token: null }));
      expect(page.status).toBe(200);
      expect(page.reads).toEqual(['QueryCommand']);
      expect((await platform.api('POST', `/s/${token}`, { token: null, body: { answers: { q1: 5 } } })).status).toBe(409);
      expect((await platform.deps.store.getResponse(token))?.responseId).toBe(`rsp-legacy-${invitationId}`);
    });

    it('one answered but never marked (a crash between the two writes of the layout before) is answered: no second response', async () => {
      const { token, invitationId } = await legacyInvitation({ response: true });
      const page = await readsOf(() => platform.api('GET', `/s/${token}?lang=en`, { token: null }));
      expect(page.status).toBe(200);
      expect(page.reads).toEqual(['QueryCommand', 'GetItemCommand']); // the partition, then the old key
      expect((await platform.api('GET', `/s/${token}?lang=en`, { token: null })).text).not.toContain('<form');
      const again = await readsOf(() => platform.api('POST', `/s/${token}`, { token: null, body: { answers: { q1: 5 } } }));
      expect(again.status).toBe(409);
      expect(again.writes).toEqual([]);
      expect((await platform.deps.store.getResponse(token))?.responseId).toBe(`rsp-legacy-${invitationId}`);
    });

    it('one not answered is answered once, in its partition', async () => {
      const { token } = await legacyInvitation();
      let responseId: string | undefined;
      const first = await readsOf(async () => {
        const res = await platform.api('POST', `/s/${token}`, { token: null, body: { answers: { q1: 4 } } });
        responseId = res.body?.responseId;
        return res;
      });
      expect(first.status).toBe(201);
      expect(first.reads).toEqual(['QueryCommand', 'GetItemCommand']); // the partition, then the old key (empty)
      expect(first.writes).toEqual(['PutItemCommand']);
      expect((await platform.api('POST', `/s/${token}`, { token: null, body: { answers: { q1: 2 } } })).status).toBe(409);
      expect(await platform.deps.store.getResponse(token)).toMatchObject({ responseId, answers: { q1: 4 } });
    });
  });
});
