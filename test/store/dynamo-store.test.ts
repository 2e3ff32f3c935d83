/** The store against a real DynamoDB API (dynalite and DynamoDB Local): batching, paging, conditional writes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDynamo, type TestDynamo } from '../helpers/dynamodb-backend';
import { connectStore, type DynamoStore } from '../../functions/store/dynamo-store';
import type { ResponseRecord } from '../../functions/domain/records';

let dynamo: TestDynamo;
let store: DynamoStore;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  store = connectStore(dynamo.table('store-test'), dynamo.clientConfig);
  await store.ensureTable();
  await store.ensureTable(); // idempotent
});
afterAll(async () => {
  store?.client.destroy();
  await dynamo?.close();
});

const response = (i: number, period = '2026-11'): ResponseRecord => ({
  responseId: `rsp_${i}`,
  invitationId: `inv_${i}`,
  campaignId: 'cmp_1',
  surveyId: 's1',
  version: 1,
  orgUnitId: 'u1',
  period,
  submittedAt: `2026-11-10T02:00:${String(i % 60).padStart(2, '0')}.${String(i).padStart(3, '0')}Z`,
  lang: 'zh-CN',
  // A large answer so that the 1 MB query pages are exercised with a modest number of items.
  answers: { q1: 1 + (i % 5), comment: 'x'.repeat(20_000) },
});

describe('DynamoStore', () => {
  it('writes more than one batch of org units (BatchWriteItem takes 25)', async () => {
    const units = Array.from({ length: 60 }, (_, i) => ({ id: `u${i}`, name: `Unit ${i}`, ...(i > 0 ? { parentId: 'u0' } : {}) }));
    await store.putOrgUnits(units);
    const listed = await store.listOrgUnits();
    expect(listed).toHaveLength(60);
    expect(listed.find((u) => u.id === 'u59')).toEqual({ id: 'u59', name: 'Unit 59', parentId: 'u0' });
  });

  it('stores one response per invitation, whatever the retries', async () => {
    expect(await store.putResponseOnce('tok_1', response(1))).toBe('created');
    expect(await store.putResponseOnce('tok_1', { ...response(1), responseId: 'rsp_other', answers: { q1: 5 } })).toBe('duplicate');
    expect((await store.getResponse('tok_1'))?.responseId).toBe('rsp_1');
  });

  it('tells which of more than one batch of tokens have a response (BatchGetItem takes 100)', async () => {
    for (let i = 0; i < 130; i++) await store.putResponseOnce(`tok_batch_${i}`, { ...response(5000 + i), surveyId: 's-batch', answers: { q1: 3 } });
    const asked = Array.from({ length: 230 }, (_, i) => `tok_batch_${i}`);
    const answered = await store.answeredTokens(asked);
    expect(answered.size).toBe(130);
    expect(answered.has('tok_batch_129')).toBe(true);
    expect(answered.has('tok_batch_130')).toBe(false);
  });

  it('reads every response of a period across query pages, and none of other periods', async () => {
    for (let i = 2; i <= 120; i++) await store.putResponseOnce(`tok_${i}`, response(i));
    await store.putResponseOnce('tok_999', response(999, '2026-10'));
    const pages: number[] = [];
    const ids = new Set<string>();
    for await (const page of store.responsesOf('s1', '2026-11')) {
      pages.push(page.length);
      page.forEach((r) => ids.add(r.responseId));
    }
    expect(ids.size).toBe(120);
    expect(pages.length).toBeGreaterThan(1); // 120 x 20 kB exceeds one 1 MB page
    expect(ids.has('rsp_999')).toBe(false);
  });

  it('publishes a survey version once and reports the stored one on a second attempt', async () => {
    const record = { surveyId: 's1', version: 1, contentHash: 'h1', definition: {} as never, publishedAt: '2026-11-10T00:00:00Z' };
    expect(await store.putSurveyVersionIfAbsent(record)).toBeUndefined();
    expect((await store.putSurveyVersionIfAbsent({ ...record, contentHash: 'h2' }))?.contentHash).toBe('h1');
    await store.putSurveyVersionIfAbsent({ ...record, version: 2, contentHash: 'h3' });
    expect((await store.getLatestSurveyVersion('s1'))?.version).toBe(2);
    expect(await store.listSurveyIds()).toEqual(['s1']);
  });
});
