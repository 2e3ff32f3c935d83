/**
 * Over-long and malformed ids and tokens at every route that takes one (issue #12, item 4): a clear
 * 400 or 404, never a 500 from DynamoDB's key limits, and nothing stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform';

let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform();
}, 60_000);
afterAll(async () => platform?.stop());

const long = (length: number) => 'a'.repeat(length);

describe('ids and tokens beyond their limits', () => {
  it.each([
    ['a 2,100-character token', 'GET', `/s/${long(2100)}`],
    ['a 2,100-character token (thanks)', 'GET', `/s/${long(2100)}/thanks`],
    ['a 2,100-character token (submit)', 'POST', `/s/${long(2100)}`],
    ['a token of 600 emoji', 'GET', `/s/${'%F0%9F%98%80'.repeat(600)}`],
    ['a token of 129 characters', 'GET', `/s/${long(129)}`],
    ['a token with a quote', 'GET', `/s/abc%22def`],
    ['a 5,000-character campaign id', 'GET', `/admin/campaigns/${long(5000)}`],
    ['a 5,000-character survey id', 'GET', `/admin/reports/${long(5000)}`],
    ['a 5,000-character user id', 'PATCH', `/admin/users/${long(5000)}`],
  ])('%s: %s answers 400 or 404, not 5xx', async (_label, method, path) => {
    const res = await platform.api(method, path, method === 'GET' ? {} : { body: method === 'PATCH' ? { language: 'en' } : { answers: {} } });
    expect([400, 404]).toContain(res.status);
  });

  it('refuses a questionnaire whose id is too long (400), storing nothing', async () => {
    const res = await platform.api('POST', '/admin/surveys', { body: { ...(fixture('mini-csi.yaml') as object), id: long(1100) } });
    expect(res.status, res.text).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain('id');
    expect(await platform.deps.store.getLatestSurveyVersion(long(1100))).toBeUndefined();
  });

  it('refuses a campaign for a survey id beyond the limit (400)', async () => {
    const res = await platform.api('POST', '/admin/campaigns', { body: { surveyId: long(1100), channel: 'link', contacts: [{ orgUnitId: 'x' }] } });
    expect(res.status, res.text).toBe(400);
  });

  it.each([
    ['a contact external id', { contacts: [{ orgUnitId: 'x', externalId: long(3000) }] }, '/admin/contacts'],
    ['an org unit id', { units: [{ id: long(3000), name: 'X' }] }, '/admin/org-units'],
  ])('refuses %s beyond its limit (400)', async (_label, body, path) => {
    const res = await platform.api('POST', path, { body });
    expect(res.status, res.text).toBeLessThan(500);
  });
});

/** Found by the route fuzzer (test/integration/fuzz-routes.test.ts), kept here as plain cases. */
describe('what the fuzzer found', () => {
  const event = (extra: string) =>
    `{"eventId":"lim-ev-1","type":"repair","orgUnitId":"hq","contact":{"name":"客户","phone":"13800000901"},"occurredAt":"2026-11-09T10:00:00+08:00"${extra}}`;

  it.each([
    ['a number JSON reads as Infinity', ',"amount":1e400'],
    ['an empty field name', ',"":"x"'],
    ['a nested object', ',"detail":{"a":1}'],
    ['a list', ',"tags":["a"]'],
    ['a text of 1,001 characters', `,"note":"${'a'.repeat(1001)}"`],
  ])('refuses a service event with %s (400), storing nothing', async (_label, extra) => {
    expect((await platform.api('POST', '/admin/org-units', { body: { units: [{ id: 'hq', name: 'HQ' }] } })).status).toBe(200);
    const res = await platform.api('POST', '/admin/service-events', { body: event(extra), headers: { 'content-type': 'application/json' } });
    expect(res.status, res.text).toBe(400);
    expect(await platform.deps.store.getServiceEvent('lim-ev-1')).toBeUndefined();
  });

  it('stores a service event with scalar fields', async () => {
    const res = await platform.api('POST', '/admin/service-events', { body: event(',"reportedAt":"2026-11-09T10:00:00+08:00","amount":12.5,"urgent":true,"channel":null'), headers: { 'content-type': 'application/json' } });
    expect(res.status, res.text).toBeLessThan(300);
    expect((await platform.deps.store.getServiceEvent('lim-ev-1'))?.fields).toEqual({ reportedAt: '2026-11-09T10:00:00+08:00', amount: 12.5, urgent: true, channel: null });
  });
});
