/**
 * POST /admin/campaigns/test-send: one message of an SMS campaign being made, sent now to the
 * caller's own phone (the number an admin recorded on the caller's user: the request names none, so
 * nobody texts strangers with the organisation's signature), so they see on a real handset what
 * customers will get: the signature, the text in the chosen language, the opt-out hint. Nothing is
 * created: no invitation, no contact, no campaign. The {name} is the caller's own, {unit} their
 * first unit's; the link opens the questionnaire's read-only preview in the console (a personal
 * link would be an invitation that could be answered), so this message's length may differ from
 * the customers' by a few characters: the campaign preview's counts are those of the real messages.
 *
 * A user may send at most TEST_SENDS_PER_DAY of them a day (in the platform's time zone); an
 * opted-out number is never messaged.
 */
import { createHash } from 'node:crypto';
import * as z from '../domain/zod';
import { composeSms, estimateCost, smsSegments } from '../domain/distribution/sms-text';
import { zoned } from '../domain/distribution/time';
import { conflict, DomainError, invalid, problemsFromZod, ThrottledError } from '../domain/errors';
import { OrgTree } from '../domain/org';
import { maskPhone } from '../shared/privacy';
import type { AccessCheck } from './access';
import { loadSurvey, parseCampaign, requireAudienceInScope } from './campaigns';
import type { Deps } from './deps';
import { SmsProviderError } from './ports';

export const TEST_SENDS_PER_DAY = 10;
const DAY_SECONDS = 86_400;

const testSendSchema = z.strictObject({
  /** The campaign as it would be posted to POST /admin/campaigns (an SMS one). */
  campaign: z.record(z.string(), z.unknown()),
  /** The template's language to send (default: the questionnaire's first). */
  lang: z.optional(z.string().check(z.minLength(2), z.maxLength(16))),
});

export interface TestSendResult {
  to: string;
  body: string;
  encoding: string;
  segments: number;
  cost: number;
  currency: string;
  /** Test messages the caller may still send today. */
  remainingToday: number;
}

export async function testSendCampaign(deps: Deps, input: unknown, access: AccessCheck): Promise<TestSendResult> {
  const parsed = testSendSchema.safeParse(input);
  if (!parsed.success) throw invalid(problemsFromZod(parsed.error.issues), 'invalid test send');
  const definition = (() => {
    try {
      return parseCampaign(parsed.data.campaign, deps.config);
    } catch (error) {
      // The campaign's own problems, at their place inside `campaign`.
      if (error instanceof DomainError && error.kind === 'validation') throw invalid(error.problems.map((p) => ({ ...p, path: `campaign.${p.path}` })), 'invalid campaign');
      throw error;
    }
  })();
  if (definition.channel !== 'sms' || !definition.sms) throw invalid([{ path: 'campaign.channel', message: 'only an SMS campaign has a message to test' }], 'invalid test send');
  const survey = await loadSurvey(deps, definition.surveyId, definition.version);
  const tree = new OrgTree(await deps.store.listOrgUnits());
  // The campaign must be one the caller could launch: its audience inside the caller's scope.
  await requireAudienceInScope(definition, tree, access);
  const languages = survey.definition.languages;
  const lang = parsed.data.lang ?? languages[0] ?? 'zh-CN';
  if (!languages.includes(lang)) throw invalid([{ path: 'lang', message: `the questionnaire has no language "${lang}" (it has ${languages.join(', ')})` }], 'invalid test send');
  const user = await deps.store.getUser(access.userId);
  if (!user?.phone) throw conflict('your user has no phone number: an admin records it (PATCH /admin/users/{userId} {"phone": ...}) before you can send yourself a test');
  const phone = user.phone;

  const scope = await access.scope();
  const unitId = scope.units.find((unit) => tree.has(unit));
  const base = deps.config.publicBaseUrl ?? '';
  // Composed before the day's counter is touched: a text that cannot be made costs no slot.
  const body = composeSms({
    signature: definition.sms.signature,
    template: definition.sms.template,
    lang,
    fallbackLang: languages[0] ?? lang,
    values: { name: user.name, link: `${base}/console#/surveys/${survey.surveyId}/versions/${survey.version}`, unit: (unitId && (tree.unit(unitId)?.name ?? unitId)) || survey.surveyId },
    marketing: definition.sms.marketing,
  });

  const now = deps.clock.now();
  const local = zoned(now, deps.config.timeZone);
  const day = `${local.wall.year}-${String(local.wall.month).padStart(2, '0')}-${String(local.wall.day).padStart(2, '0')}`;
  if (!(await deps.store.claimTestSend(access.userId, day, TEST_SENDS_PER_DAY, Math.floor(now.getTime() / 1000) + 2 * DAY_SECONDS))) {
    throw new ThrottledError(`at most ${TEST_SENDS_PER_DAY} test messages a day; try again tomorrow`, Math.max(1, Math.ceil((local.startOfDay().plus({ days: 1 }).ms - now.getTime()) / 1000)));
  }
  if (await deps.store.isOptedOut('sms', phone)) throw conflict('your phone number has opted out of SMS: it is not messaged, not even for a test');
  const counted = smsSegments(body);
  try {
    await deps.sms.send({
      to: phone,
      body,
      // One key per message of the day's counter: a retried request is a new test, by design.
      idempotencyKey: `test:${createHash('sha256').update(`${access.userId}|${now.toISOString()}|${phone}`).digest('hex').slice(0, 32)}`,
      segments: counted.segments,
      kind: definition.sms.marketing ? 'marketing' : 'transactional',
    });
  } catch (error) {
    if (!(error instanceof SmsProviderError)) throw error;
    if (error.retryable) {
      // Nothing left: the day's slot is given back, and the caller tries again.
      await deps.store.releaseTestSend(access.userId, day);
      throw new ThrottledError('the SMS provider is not taking messages now; try again in a minute', 60);
    }
    throw invalid([{ path: '(body)', message: 'the SMS provider refused this message or your number' }], 'the test message was not sent');
  }
  deps.logger.info('campaign test message sent', { surveyId: survey.surveyId, segments: counted.segments });
  const price = deps.config.sms.segmentPrice;
  return { to: maskPhone(phone), body, encoding: counted.encoding, segments: counted.segments, cost: estimateCost(counted.segments, price), currency: deps.config.sms.currency, remainingToday: await remaining(deps, access.userId, day) };
}

async function remaining(deps: Pick<Deps, 'store'>, userId: string, day: string): Promise<number> {
  const used = await deps.store.testSendsOf(userId, day);
  return Math.max(0, TEST_SENDS_PER_DAY - used);
}
