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
