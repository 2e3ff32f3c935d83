/**
 * The follow-up of a resolved case: after the rule's `followUp.delay`, the case timers invite the
 * customer to the follow-up questionnaire (surveys/case-follow-up.yaml by default) by SMS, the one
 * channel manyi sends on today; its answers are attached to the case, and "not solved" reopens it.
 *
 * - The invitation is an ordinary SMS invitation of a system campaign per questionnaire version and
 *   signature (made on first use, with no trigger registered), so the dispatcher sends it as it
 *   sends every other: opt-outs, quiet hours, retries and delivery receipts included. It is created
 *   once per case and resolution round (a marker like a return visit's), before the case records
 *   it: a crash in between, or a second timer, finds the same invitation.
 * - Where the customer cannot be reached by SMS (a link respondent, a manual case without a phone,
 *   the questionnaire not published), the case says so on its timeline and no invitation is made.
 * - The answer is attached when the response is stored, and by the timers' sweep as the backstop
 *   (a submit that stopped after its write); attaching is idempotent per response.
 */
import { createHash } from 'node:crypto';
import { applyCaseEvent, systemEntry, type CaseRecord, type FollowUp } from '../domain/cases/case';
import { OrgTree } from '../domain/org';
import type { Questionnaire } from '../domain/questionnaire/schema';
import type { InvitationRecord, ResponseRecord } from '../domain/records';
import { caseConfig, rearmResolution } from './case-opening';
import { listedUnderOf } from './campaign-list';
import { linkBase, newInvitation, parseCampaign } from './campaigns';
import type { Deps } from './deps';

type FollowUpDeps = Pick<Deps, 'store' | 'clock' | 'calendars' | 'logger' | 'config'>;

/** The follow-up questionnaire's question the platform reads: a choice whose "no" reopens the case. */
export const SOLVED_QUESTION = 'solved';
/** Its rating of how the case was handled (reported as follow-up satisfaction). */
export const HANDLED_QUESTION = 'handled';

/** The SMS the follow-up goes by: the original campaign's signature, a template of the platform's own. */
const FOLLOW_UP_TEMPLATE = {
  'zh-CN': '您好，您反映的问题我们已处理，请告诉我们是否已解决：{link}',
  en: 'We have worked on the issue you raised. Is it solved? Tell us here: {link}',
};

interface Customer {
  contactId?: string;
  contact: InvitationRecord['contact'];
  lang?: string;
  channel?: 'sms' | 'link';
  signature?: string;
}

/** Who the case is about and how they were reached: the invitation that opened it, else the contact logged by hand. */
async function customerOf(deps: FollowUpDeps, c: CaseRecord): Promise<Customer | undefined> {
  if (c.invitationId) {
    const token = await deps.store.invitationTokenOf(c.invitationId, c.campaignId);
    const invitation = token ? await deps.store.getInvitationByToken(token) : undefined;
    if (!invitation) return undefined;
    const campaign = await deps.store.getCampaign(invitation.campaignId);
    const signature = (campaign?.definition as { sms?: { signature?: string } } | undefined)?.sms?.signature;
    return {
      ...(invitation.contactId ? { contactId: invitation.contactId } : {}),
      contact: invitation.contact,
      ...(invitation.lang ? { lang: invitation.lang } : {}),
      ...(invitation.channel ? { channel: invitation.channel } : {}),
      ...(signature ? { signature } : {}),
    };
  }
  if (c.contactId) {
    const contact = await deps.store.getContact(c.contactId);
    if (!contact) return undefined;
    return { contactId: contact.contactId, contact: { ...(contact.phone ? { phone: contact.phone } : {}), ...(contact.name ? { name: contact.name } : {}) }, ...(contact.lang ? { lang: contact.lang } : {}), channel: 'sms' };
  }
  if (c.contact?.phone) return { contact: { phone: c.contact.phone, ...(c.contact.name ? { name: c.contact.name } : {}) }, channel: 'sms' };
  return undefined;
}

/** The system campaign follow-ups of a questionnaire version go out under, one per signature. */
async function followUpCampaign(deps: FollowUpDeps, surveyId: string, version: number, signature: string) {
  const campaignId = `cmp_followup_${createHash('sha256').update(`${surveyId}\u0000${version}\u0000${signature}`).digest('hex').slice(0, 24)}`;
  const existing = await deps.store.getCampaign(campaignId);
  if (existing) return existing;
  const definition = parseCampaign(
    {
      surveyId,
      version,
      name: 'Case follow-up',
      channel: 'sms',
      sms: { signature, template: FOLLOW_UP_TEMPLATE },
      // An event-triggered campaign needs no target; no trigger is registered, so no event invites.
      trigger: { eventType: 'case-follow-up', delay: 'PT0S' },
      exemptFromFrequencyCap: true,
      reminder: { enabled: false },
    },
    deps.config,
  );
  const now = deps.clock.now();
  // Cases of every unit are followed up under it: it reaches the whole organisation.
  const tree = new OrgTree(await deps.store.listOrgUnits());
  const campaign = {
    campaignId,
    surveyId,
    version,
    channel: 'sms' as const,
    createdAt: now.toISOString(),
    // The campaign lives as long as cases are followed up; each invitation has its own expiry.
    expiresAt: new Date(now.getTime() + 100 * 365 * 86_400_000).toISOString(),
    invitationCount: 0,
    reach: tree.roots,
    listedUnder: listedUnderOf(tree, tree.roots),
    definition: { ...definition, baseUrl: linkBase(deps) },
  };
  try {
    await deps.store.createCampaign(campaign, []);
  } catch (error) {
    // Another timer made it meanwhile: the same id, the same content.
    const made = await deps.store.getCampaign(campaignId);
    if (!made) throw error;
    return made;
  }
  return campaign;
}

/**
 * The case with its due follow-up made: an invitation, or the reason there is none, recorded in
 * `followUps` and on the timeline, with `followUpDueAt` cleared. The caller writes the case.
 */
export async function withFollowUpSent(deps: FollowUpDeps, c: CaseRecord, now: Date): Promise<CaseRecord> {
  const round = c.reopenedCount;
  const { followUpDueAt: _done, ...rest } = c;
  if (!c.followUp || (c.followUps ?? []).some((f) => f.round === round)) return rest;
  const at = now.toISOString();
  const record = (followUp: FollowUp, note: string): CaseRecord => ({
    ...rest,
    followUps: [...(c.followUps ?? []), followUp],
    timeline: systemEntry(c, { at, type: 'follow-up', note }),
  });
  const survey = await deps.store.getLatestSurveyVersion(c.followUp.survey);
  if (!survey) return record({ round, at, outcome: 'no-survey' }, `questionnaire "${c.followUp.survey}" is not published: no follow-up`);
  const customer = await customerOf(deps, c);
  const channel = c.followUp.channel === 'same' ? customer?.channel : c.followUp.channel;
  if (!customer?.contact.phone || channel !== 'sms') {
    return record({ round, at, outcome: 'no-channel' }, 'the customer cannot be reached by SMS: no follow-up');
  }
  const campaign = await followUpCampaign(deps, survey.surveyId, survey.version, customer.signature ?? deps.config.sms.signature);
  const invitation: InvitationRecord = {
    ...newInvitation(campaign, undefined, { orgUnitId: c.orgUnitId, now, dueAt: now, expiresInDays: deps.config.invitationExpiresDays, rawContact: customer.contact, ...(c.staffId ? { staffId: c.staffId } : {}) }),
    ...(customer.contactId ? { contactId: customer.contactId } : {}),
    ...(customer.lang ? { lang: customer.lang } : {}),
    caseId: c.caseId,
  };
  const once = await deps.store.createInvitationOnce({ kind: 'event', campaignId: campaign.campaignId, eventId: `${c.caseId}#${round}` }, invitation);
  const invitationId = once.existing?.invitationId ?? invitation.invitationId;
  deps.logger.info('case follow-up invited', { caseId: c.caseId, invitationId, surveyId: survey.surveyId });
  return record({ round, at, invitationId }, `follow-up questionnaire ${survey.surveyId} sent by SMS`);
}

/** The answer `solved` gave: true, false, or undefined when the questionnaire has no such choice. */
function solvedOf(response: ResponseRecord): boolean | undefined {
  const answer = response.answers[SOLVED_QUESTION];
  if (answer === 'yes') return true;
  if (answer === 'no') return false;
  return undefined;
}

/**
 * Attaches a follow-up response to its case (idempotent: a response attached once is found); a
 * "not solved" answer to the latest resolution reopens the case with its resolution deadline armed
 * again. Returns whether the case changed.
 */
export async function attachFollowUp(deps: Pick<Deps, 'store' | 'clock' | 'calendars' | 'logger'>, response: ResponseRecord, _questionnaire: Questionnaire): Promise<boolean> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const c = response.caseId ? await deps.store.getCase(response.caseId) : undefined;
    const index = c?.followUps?.findIndex((f) => f.invitationId === response.invitationId) ?? -1;
    if (!c || index < 0 || c.followUps![index]!.responseId) return false;
    const solved = solvedOf(response);
    const handled = typeof response.answers[HANDLED_QUESTION] === 'number' ? (response.answers[HANDLED_QUESTION] as number) : undefined;
    const entry: FollowUp = { ...c.followUps![index]!, responseId: response.responseId, answeredAt: response.submittedAt, ...(solved !== undefined ? { solved } : {}), ...(handled !== undefined ? { handled } : {}) };
    const now = deps.clock.now();
    let next: CaseRecord = {
      ...c,
      version: c.version + 1,
      followUps: c.followUps!.map((f, i) => (i === index ? entry : f)),
      timeline: systemEntry(c, { at: now.toISOString(), type: 'follow-up-answered', note: solved === false ? 'the customer says it is not solved' : solved ? 'the customer says it is solved' : 'the customer answered the follow-up' }),
    };
    // Only the answer to the latest resolution reopens: an old round's "no" is history.
    if (solved === false && entry.round === c.reopenedCount && (c.state === 'resolved' || c.state === 'closed')) {
      const { settings } = await caseConfig(deps, true);
      next = applyCaseEvent(next, { type: 'reopen', note: 'the customer answered the follow-up: not solved' }, { by: 'system', at: now, rootCauses: settings.rootCauses.map((cause) => cause.id) });
      next = { ...(await rearmResolution(deps, next, settings, now)), version: c.version + 1 };
    }
    if (await deps.store.replaceCase(next, c.version)) {
      deps.logger.info('case follow-up attached', { caseId: c.caseId, responseId: response.responseId, reopened: next.state === 'reopened' });
      return true;
    }
    // Changed meanwhile (an agent's event, a timer): read it again and attach to the new version.
  }
  throw new Error(`case ${response.caseId} kept changing while a follow-up was attached; the sweep attaches it`);
}
