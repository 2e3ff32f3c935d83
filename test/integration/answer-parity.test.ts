/**
 * The same answers sent as JSON and as a form are judged by the same rules (issue #12, item 7): an
 * unknown key, `__proto__` included, is a 400 in both, and nothing is stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform';

let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform();
  expect([200, 201]).toContain((await platform.api('POST', '/admin/surveys', { body: fixture('mini-csi.yaml') })).status);
  expect((await platform.api('POST', '/admin/org-units', { body: { units: [{ id: 'b1', name: 'B1' }] } })).status).toBe(200);
}, 60_000);
afterAll(async () => platform?.stop());

async function newToken(): Promise<string> {
  const res = await platform.api('POST', '/admin/campaigns', { body: { surveyId: 'mini-csi', channel: 'link', contacts: [{ orgUnitId: 'b1' }] } });
  expect(res.status, res.text).toBe(201);
  return res.body.invitations[0].token as string;
}

const postForm = (token: string, form: string) =>
  platform.api('POST', `/s/${token}`, { token: null, body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });

const stored = async (token: string) => (await platform.deps.store.getResponse(token)) !== undefined;

describe('answers by JSON and by form', () => {
  it.each([
    ['an unknown question', { q1: 4, zz: 1 }, 'q1=4&zz=1', 'zz'],
    ['a __proto__ key', { q1: 4, __proto__: 3 }, 'q1=4&__proto__=3', '__proto__'],
    ['a constructor key', { q1: 4, constructor: 3 }, 'q1=4&constructor=3', 'constructor'],
  ])('refuse %s in both encodings (400), storing nothing', async (_label, json, form, key) => {
    const jsonToken = await newToken();
    // JSON.parse makes "__proto__" an own key, as a client's body would.
    const body = JSON.stringify({ answers: json }).replace('"q1":4', `"q1":4${key === '__proto__' ? ',"__proto__":3' : ''}`);
    const byJson = await platform.api('POST', `/s/${jsonToken}`, { token: null, body });
    expect(byJson.status, byJson.text).toBe(400);
    expect(byJson.text).toContain(`answers.${key}`);

    const formToken = await newToken();
    const byForm = await postForm(formToken, form);
    expect(byForm.status, byForm.text.slice(0, 200)).toBe(400);
    for (const token of [jsonToken, formToken]) expect(await stored(token)).toBe(false);
  });

  it('accept the same valid answers in both, with the form\'s language field', async () => {
    const byJson = await platform.api('POST', `/s/${await newToken()}`, { token: null, body: { answers: { q1: 4, q4: 5, channel: 'app' } } });
    expect(byJson.status, byJson.text).toBe(201);
    const byForm = await postForm(await newToken(), 'q1=4&q4=5&channel=app&lang=en');
    expect(byForm.status).toBe(303);
  });
});
