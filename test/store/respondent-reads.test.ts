/**
 * What one respondent request costs the table: a form post opens the invitation (the invitation,
 * its questionnaire version, its response) once, whether it is stored, refused with the form
 * again, or answered with the expired page. Counted at the DynamoDB client, through HTTP.
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

/** The status of one request and the table reads it made. */
async function readsOf(request: () => Promise<{ status: number }>): Promise<{ status: number; reads: string[] }> {
  const before = platform.commands.length;
  const { status } = await request();
  return { status, reads: platform.commands.slice(before).filter((command) => READS.has(command)) };
}

const formPost = (token: string, body: string) =>
  platform.api('POST', `/s/${token}`, { token: null, body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });

describe('respondent reads', () => {
  it('a stored form post reads the invitation, its questionnaire and its response once each', async () => {
    const token = await inviteOne();
    const { status, reads } = await readsOf(() => formPost(token, 'lang=en&q1=4&q4=5'));
    expect(status).toBe(303);
    expect(reads).toHaveLength(3);
  });

  it('a refused form post (the form again with its problems) reads as much', async () => {
    const token = await inviteOne();
    const { status, reads } = await readsOf(() => formPost(token, 'lang=en&q4=5'));
    expect(status).toBe(400);
    expect(reads).toHaveLength(3);
  });

  it('a form post to an answered invitation reads as much and shows the answered page', async () => {
    const token = await inviteOne();
    expect((await formPost(token, 'lang=en&q1=4')).status).toBe(303);
    const { status, reads } = await readsOf(() => formPost(token, 'lang=en&q1=2'));
    expect(status).toBe(409);
    expect(reads).toHaveLength(3);
  });

  it('a JSON post reads as much', async () => {
    const token = await inviteOne();
    const { status, reads } = await readsOf(() => platform.api('POST', `/s/${token}`, { token: null, body: { answers: { q1: 4 } } }));
    expect(status).toBe(201);
    expect(reads).toHaveLength(3);
  });

  it('a form post with an unknown token reads only the invitation', async () => {
    const { status, reads } = await readsOf(() => formPost('not-a-real-token-at-all', 'lang=en&q1=4'));
    expect(status).toBe(404);
    expect(reads).toHaveLength(1);
  });
});
