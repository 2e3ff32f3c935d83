/**
 * POST /admin/campaigns/test-send (issue #13, "a test send to oneself") through HTTP against
 * dynalite: one message to the caller's own phone (recorded on the user by an admin; the request
 * names none) with the caller's name, the signature and a link to the console's preview; nothing
 * else is created; at most ten a day per user (then 429 with Retry-After); an opted-out number
 * never messaged; a user without a phone a 409; bad input a 400 naming the field; the provider's
 * refusal a 400, its outage a 429.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmsProviderError, type OutboundSms, type SmsProvider } from '../../functions/app/ports';
import { TEST_SENDS_PER_DAY } from '../../functions/app/campaign-test-send';
import { smsSegments } from '../../functions/domain/distribution/sms-text';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform';
import { BRANCH_TREE, createTestUser, type TestUser } from '../helpers/users';

let platform: TestPlatform;
let analyst: TestUser;
const fault: { next?: SmsProviderError } = {};
const sms = { signature: '示例银行', template: { 'zh-CN': '{name}您好，请评价{unit}的服务：{link}', en: 'Hello {name}, rate {unit}: {link}' }, marketing: true };
const campaign = { surveyId: 'mini-csi', channel: 'sms', sms, segment: { orgUnitId: 'n1' } };
const testSend = (body: unknown, user: TestUser = analyst) => platform.api('POST', '/admin/campaigns/test-send', { token: user.token, body });
/** A user with its own phone, recorded as an admin records it. */
async function userWithPhone(orgUnits: string[], phone: string): Promise<TestUser> {
  const user = await createTestUser(platform, { role: 'analyst', orgUnits });
  const patched = await platform.api('PATCH', `/admin/users/${user.userId}`, { body: { phone } });
  expect(patched.status, patched.text).toBe(200);
  return user;
}

beforeAll(async () => {
  platform = await startTestPlatform(new Date('2026-11-10T02:00:00Z'));
  const inner = platform.deps.sms;
  platform.deps.sms = {
    ...inner,
    async send(message: OutboundSms) {
      const failure = fault.next;
      fault.next = undefined;
      if (failure) throw failure;
      return inner.send(message);
    },
  } as SmsProvider;
  expect((await platform.api('POST', '/admin/org-units', { body: { units: BRANCH_TREE } })).status).toBe(200);
  expect((await platform.api('POST', '/admin/surveys', { body: fixture('mini-csi.yaml') })).status).toBe(201);
  analyst = await userWithPhone(['north'], '138 0013 8900');
});
afterAll(async () => {
  await platform?.stop();
});

describe('POST /admin/campaigns/test-send', () => {
  it('sends one message to the caller\'s own phone, as the customers\' would read, and creates nothing', async () => {
    const campaignsBefore = (await platform.api('GET', '/admin/campaigns')).body.campaigns.length;
    const res = await testSend({ campaign, lang: 'en' });
    expect(res.status, res.text).toBe(200);
    const [message] = platform.outbox.list('sms').filter((m) => m.to === '+8613800138900');
    const expected = `【示例银行】Hello Test analyst, rate North: ${platform.url}/console#/surveys/mini-csi/versions/1 Reply STOP to opt out`;
    expect(message?.body).toBe(expected);
    expect(res.body).toMatchObject({ to: '+86138****8900', body: expected, segments: smsSegments(expected).segments, encoding: smsSegments(expected).encoding, remainingToday: TEST_SENDS_PER_DAY - 1 });
    expect((await platform.api('GET', '/admin/campaigns')).body.campaigns).toHaveLength(campaignsBefore);
    expect((await platform.api('GET', '/admin/contacts?query=13800138900')).body.contacts).toEqual([]);
    // The phone is the user's: its own in clear, masked in the users list of an admin without pii.
    expect((await platform.api('GET', '/admin/me', { token: analyst.token })).body.user.phone).toBe('+8613800138900');
    const listed = (await platform.api('GET', '/admin/users')).body.users.find((u: { userId: string }) => u.userId === analyst.userId);
    expect(listed.phone).toBe('+86138****8900');
  });

  it('refuses bad input with a 400 at its field, and never messages an opted-out number', async () => {
    const problemsOf = async (body: unknown) => {
      const res = await testSend(body);
      expect(res.status, res.text).toBe(400);
      return res.body.errors.map((p: { path: string }) => p.path);
    };
    // The request names no number: nobody texts strangers with the organisation's signature.
    expect(await problemsOf({ campaign, phone: '13800138901' })).toEqual(['(root)']);
    expect(await problemsOf({ campaign: { ...campaign, sms: { ...sms, template: { 'zh-CN': '没有链接' } } } })).toEqual(['campaign.sms.template.zh-CN']);
    expect(await problemsOf({ campaign: { surveyId: 'mini-csi', channel: 'link', contacts: [{ orgUnitId: 'n1' }] } })).toEqual(['campaign.channel']);
    expect(await problemsOf({ campaign, lang: 'fr' })).toEqual(['lang']);
    expect(await problemsOf({})).toEqual(['campaign']);
    // An analyst of north tests only campaigns it could launch.
    expect((await testSend({ campaign: { ...campaign, segment: { orgUnitId: 's1' } } })).status).toBe(403);
    // A user without a phone of its own: nothing to send to.
    const phoneless = await createTestUser(platform, { role: 'analyst', orgUnits: ['north'] });
    expect((await testSend({ campaign }, phoneless)).status).toBe(409);
    expect((await platform.api('PATCH', `/admin/users/${phoneless.userId}`, { body: { phone: '12345' } })).status).toBe(400);

    const optedOutUser = await userWithPhone(['north'], '13800138902');
    await platform.api('POST', '/dev/sms/inbound', { body: { from: '+8613800138902', body: 'TD' } });
    const optedOut = await testSend({ campaign }, optedOutUser);
    expect(optedOut.status, optedOut.text).toBe(409);
    // Only the opt-out's confirmation went to it, no test message.
    expect(platform.outbox.list('sms').filter((m) => m.to === '+8613800138902' && m.body.includes('/console#'))).toEqual([]);
  });

  it('answers the provider\'s refusal with a 400 and its outage with a 429', async () => {
    fault.next = new SmsProviderError('ValidationException: the number cannot receive SMS', false);
    const refused = await testSend({ campaign });
    expect(refused.status, refused.text).toBe(400);
    expect(refused.body.errors).toEqual([expect.objectContaining({ path: '(body)' })]);
    const before = (await testSend({ campaign })).body.remainingToday as number;
    fault.next = new SmsProviderError('ThrottlingException: rate exceeded', true);
    const outage = await testSend({ campaign });
    expect(outage.status, outage.text).toBe(429);
    // The outage cost no slot of the day: the next one leaves one fewer than before it, not two.
    expect((await testSend({ campaign })).body.remainingToday).toBe(before - 1);
  });

  it('sends at most ten a day per user, then says when to try again', async () => {
    const user = await userWithPhone(['hq'], '13800138904');
    for (let i = 0; i < TEST_SENDS_PER_DAY; i++) expect((await testSend({ campaign }, user)).status).toBe(200);
    const capped = await testSend({ campaign }, user);
    expect(capped.status, capped.text).toBe(429);
    // 10:00 in Shanghai: fourteen hours to midnight there.
    expect(capped.headers.get('retry-after')).toBe(String(14 * 3600));
    expect(platform.outbox.list('sms').filter((m) => m.to === '+8613800138904')).toHaveLength(TEST_SENDS_PER_DAY);
    // The next day the counter starts again.
    platform.clock.set(new Date('2026-11-10T16:00:00Z'));
    const tomorrow = { ...user, token: (await platform.tokens.forUser((await platform.deps.store.getUser(user.userId))!)).token };
    expect((await testSend({ campaign }, tomorrow)).status).toBe(200);
  });
});
