/**
 * Campaigns: who is invited to which questionnaire, by which channel, and when.
 *
 * - link: one invitation per contact at once; the caller distributes the links.
 * - sms: invitations are created pending and sent by the dispatcher (functions/app/dispatch.ts),
 *   under the contact rules (opt-out, frequency cap, quiet hours, expiry).
 * Kinds: one-off (a target now or at `startAt`), recurring (`recurrence.cron`), event-triggered
 * return visits (`trigger`), per-contact return-visit schedules (`schedule`); any of them may
 * draw mystery customers (`sample`).
 */
import * as z from '../domain/zod';
import { MAX_ID_LENGTH } from '../domain/primitives';
import { normaliseContact } from '../domain/distribution/contacts';
import { normalisePhone, type CountryCode } from '../domain/distribution/phone';
import { drawSample } from '../domain/distribution/sampling';
import { cronExpressionSchema, nextCronRun, returnVisitScheduleSchema, triggerSchema } from '../domain/distribution/schedules';
import { matchesSegment, segmentSchema } from '../domain/distribution/segments';
import { nextSendWindowOfAll, quietHoursSchema } from '../domain/distribution/rules';
import { smsConfigSchema } from '../domain/distribution/sms-text';
import { isoDurationSchema, timeZoneSchema } from '../domain/distribution/time';
import { conflict, forbidden, invalid, notFound, problemsFromZod, type Problem } from '../domain/errors';
import { OrgTree } from '../domain/org';
import type { Questionnaire } from '../domain/questionnaire';
import { newId, newToken } from '../shared/ids';
import type { CampaignRecord, InvitationRecord, InvitationStatus, SurveyVersionRecord } from '../domain/records';
import type { ContactRecord } from '../domain/records';
import { listedUnderOf } from './campaign-list';
import { upsertContact } from './contacts';
import type { AccessCheck } from './access';
import type { Deps } from './deps';

const DAY_MS = 86_400_000;

const inlineContactSchema = z.record(z.string(), z.unknown());

/** A link campaign's inline contact (the spine's contract): only the unit is required. */
const linkContactSchema = z.strictObject({
  name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
  phone: z.optional(z.string().check(z.minLength(1))),
  email: z.optional(z.email()),
  orgUnitId: z.string().check(z.minLength(1)),
  externalId: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  grade: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(32))),
});

/**
 * Link campaigns hand their links to the caller: inline contacts become invitations directly
 * (no contact record is needed to send nothing); a phone, when given, must still be valid.
 */
function linkInvitations(deps: Deps, campaign: CampaignRecord, definition: CampaignDefinition, tree: OrgTree, now: Date): InvitationRecord[] {
  const problems: Problem[] = [];
  const invitations: InvitationRecord[] = [];
  const expiresInDays = definition.expiresInDays ?? deps.config.invitationExpiresDays;
  for (const [i, raw] of (definition.contacts ?? []).entries()) {
    const parsed = linkContactSchema.safeParse(raw);
    if (!parsed.success) {
      problems.push(...problemsFromZod(parsed.error.issues, ['contacts', i]));
      continue;
    }
    const contact = parsed.data;
    let phone: string | undefined;
    if (contact.phone) {
      const normalised = normalisePhone(contact.phone, deps.config.defaultRegion as CountryCode);
      if (normalised.ok) phone = normalised.e164;
      else problems.push({ path: `contacts[${i}].phone`, message: normalised.reason });
    }
    if (!tree.has(contact.orgUnitId)) problems.push({ path: `contacts[${i}].orgUnitId`, message: `unknown organisation unit "${contact.orgUnitId}"` });
    const rawContact = {
      ...(contact.name ? { name: contact.name } : {}),
      ...(phone ? { phone } : {}),
      ...(contact.email ? { email: contact.email } : {}),
      ...(contact.externalId ? { externalId: contact.externalId } : {}),
    };
    invitations.push({
      ...newInvitation(campaign, undefined, { orgUnitId: contact.orgUnitId, now, dueAt: now, expiresInDays, rawContact, management: definition.audience === 'management' }),
      ...(contact.grade ? { grade: contact.grade } : {}),
    });
  }
  if (problems.length > 0) throw invalid(problems, 'invalid campaign');
  return invitations;
}

export const createCampaignSchema = z
  .strictObject({
    surveyId: z.string().check(z.minLength(1), z.maxLength(MAX_ID_LENGTH)),
    version: z.optional(z.int().check(z.positive())),
    name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
    channel: z.enum(['link', 'sms']),
    contacts: z.optional(z.array(inlineContactSchema).check(z.minLength(1, { error: 'give at least one contact' }), z.maxLength(10_000))),
    contactIds: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(MAX_ID_LENGTH))).check(z.minLength(1), z.maxLength(10_000))),
    segment: z.optional(segmentSchema),
    sms: z.optional(smsConfigSchema),
    expiresInDays: z.optional(z.int().check(z.positive(), z.lte(365))),
    /** One-off campaigns: when to send (default now). */
    startAt: z.optional(z.iso.datetime({ offset: true })),
    recurrence: z.optional(z.strictObject({ cron: cronExpressionSchema, timeZone: z.optional(timeZoneSchema) })),
    trigger: z.optional(triggerSchema),
    schedule: z.optional(returnVisitScheduleSchema),
    sample: z.optional(z.strictObject({ size: z.int().check(z.positive()), seed: z.optional(z.union([z.string(), z.int()])) })),
    reminder: z.optional(z.strictObject({ enabled: z._default(z.boolean(), true), delay: z.optional(isoDurationSchema) })),
    /**
     * Who answers: customers (default), or managers answering the expectation items as they believe
     * customers would (SERVQUAL gap 1); managers' answers feed gap 1 only.
     */
    audience: z._default(z.enum(['customer', 'management']), 'customer'),
    /** The campaign's own quiet hours, applied besides the platform's (MANYI_QUIET_HOURS): stricter, never looser. */
    quietHours: z.optional(quietHoursSchema),
    /** The campaign's own frequency cap in days; at least the platform's (MANYI_FREQUENCY_CAP_DAYS). */
    frequencyCapDays: z.optional(z.int().check(z.gte(0), z.lte(365))),
    /** Return visits (after an event or on a schedule) may be exempt from the frequency cap. */
    exemptFromFrequencyCap: z._default(z.boolean(), false),
  })
  .check(z.superRefine((c, ctx) => {
    const targets = [c.contacts, c.contactIds, c.segment].filter((t) => t !== undefined).length;
    const kinds = [c.recurrence, c.trigger, c.schedule].filter((k) => k !== undefined).length;
    if (kinds > 1) ctx.addIssue({ code: 'custom', path: ['trigger'], message: 'choose one of recurrence, trigger and schedule' });
    if (c.trigger && targets > 0) ctx.addIssue({ code: 'custom', path: ['trigger'], message: 'an event-triggered campaign invites the event\'s contact: give no contacts, contactIds or segment' });
    if (!c.trigger && targets !== 1) ctx.addIssue({ code: 'custom', path: ['contacts'], message: 'give exactly one target: contacts, contactIds or segment' });
    if (c.channel === 'sms' && !c.sms) ctx.addIssue({ code: 'custom', path: ['sms'], message: 'an SMS campaign needs sms settings (signature and template)' });
    if (c.channel === 'link' && (c.trigger || c.schedule || c.recurrence)) ctx.addIssue({ code: 'custom', path: ['channel'], message: 'scheduled and triggered campaigns send by sms' });
    if (c.exemptFromFrequencyCap && !c.trigger && !c.schedule) {
      ctx.addIssue({ code: 'custom', path: ['exemptFromFrequencyCap'], message: 'only return visits (after an event, or on a schedule) may be exempt' });
    }
  }));

export type CampaignDefinition = z.output<typeof createCampaignSchema>;

export interface CreatedCampaign {
  campaignId: string;
  invitations: { invitationId: string; token: string; url: string; status: InvitationStatus; contactId?: string }[];
}

/** The questionnaire a new campaign (or its preview) uses: published, and not archived. */
export async function loadSurvey(deps: Pick<Deps, 'store'>, surveyId: string, version?: number): Promise<SurveyVersionRecord> {
  const [survey, entry] = await Promise.all([
    version ? deps.store.getSurveyVersion(surveyId, version) : deps.store.getLatestSurveyVersion(surveyId),
    deps.store.getSurveyCatalogueEntry(surveyId),
  ]);
  if (!survey) {
    const what = version ? `questionnaire "${surveyId}" version ${version}` : `questionnaire "${surveyId}"`;
    throw invalid([{ path: version ? 'version' : 'surveyId', message: `unknown ${what}` }], 'invalid campaign');
  }
  if (entry?.archivedAt) throw conflict(`questionnaire "${surveyId}" is archived: restore it (POST /admin/surveys/${surveyId}/archive {"archived":false}) to start a campaign with it`);
  return survey;
}

export function parseCampaign(input: unknown, config?: Pick<Deps['config'], 'quietHours' | 'frequencyCapDays' | 'timeZone'>): CampaignDefinition {
  const parsed = createCampaignSchema.safeParse(input);
  if (!parsed.success) throw invalid(problemsFromZod(parsed.error.issues), 'invalid campaign');
  const problems = config ? contactRuleProblems(parsed.data, config) : [];
  if (problems.length > 0) throw invalid(problems, 'invalid campaign');
  return parsed.data;
}

/**
 * A campaign's own contact rules may only add to the platform's, which protect the customer across
 * campaigns: a cap shorter than the platform's would let one campaign survey more often, and quiet
 * hours that with the platform's cover the whole day would never let a message out.
 */
function contactRuleProblems(definition: CampaignDefinition, config: Pick<Deps['config'], 'quietHours' | 'frequencyCapDays' | 'timeZone'>): Problem[] {
  const problems: Problem[] = [];
  if (definition.frequencyCapDays !== undefined && definition.exemptFromFrequencyCap) {
    problems.push({ path: 'frequencyCapDays', message: 'a campaign exempt from the frequency cap has none of its own: give one or the other' });
  } else if (definition.frequencyCapDays !== undefined && definition.frequencyCapDays < config.frequencyCapDays) {
    problems.push({ path: 'frequencyCapDays', message: `a campaign may be stricter than the platform's frequency cap (${config.frequencyCapDays} days), not looser` });
  }
  // Any day will do: both windows are wall-clock times, the same every day.
  if (definition.quietHours && !nextSendWindowOfAll(new Date('2026-01-15T00:00:00Z'), config.timeZone, [config.quietHours, definition.quietHours])) {
    problems.push({ path: 'quietHours', message: `with the platform's quiet hours (${config.quietHours.start}-${config.quietHours.end}) these leave no time of day to send` });
  }
  return problems;
}

/** A reply-by-digit campaign asks the one rating question of its questionnaire. */
function checkReplyCampaign(definition: CampaignDefinition, questionnaire: Questionnaire): Problem[] {
  if (!definition.sms?.reply) return [];
  const ratings = questionnaire.questions.filter((q) => q.type === 'rating');
  return ratings.length === 1 && questionnaire.questions.length === 1
    ? []
    : [{ path: 'sms.reply', message: 'reply: true needs a questionnaire with exactly one (rating) question' }];
}

/**
 * The contacts a campaign addresses now: inline ones (stored as contacts, so opt-outs and the
 * frequency cap apply to them too), by id, or by segment.
 */
export async function resolveTarget(deps: Deps, definition: CampaignDefinition, tree: OrgTree, access?: AccessCheck): Promise<{ contacts: ContactRecord[]; problems: Problem[] }> {
  const problems: Problem[] = [];
  const contacts: ContactRecord[] = [];
  if (definition.contacts) {
    for (const [i, raw] of definition.contacts.entries()) {
      const normalised = normaliseContact(raw, { defaultRegion: deps.config.defaultRegion as CountryCode });
      if (!normalised.ok) {
        normalised.problems.forEach((p) => problems.push({ path: `contacts[${i}].${p.path}`, message: p.message }));
        continue;
      }
      if (!tree.has(normalised.contact.orgUnitId)) {
        problems.push({ path: `contacts[${i}].orgUnitId`, message: `unknown organisation unit "${normalised.contact.orgUnitId}"` });
        continue;
      }
      if (problems.length > 0) continue;
      const { contactId } = await upsertContact(deps, normalised.contact, access);
      const stored = await deps.store.getContact(contactId);
      if (stored) contacts.push(stored);
    }
  } else if (definition.contactIds) {
    const outside: number[] = [];
    for (const [i, contactId] of definition.contactIds.entries()) {
      const contact = await deps.store.getContact(contactId);
      if (contact && access && !(await access.covers(contact.orgUnitId))) outside.push(i);
      else if (contact) contacts.push(contact);
      else problems.push({ path: `contactIds[${i}]`, message: `unknown contact "${contactId}"` });
    }
    if (outside.length > 0) {
      // The whole campaign is refused, and it names positions, not the units of others' contacts.
      throw forbidden(`the campaign's audience reaches outside your scope: contactIds[${outside.slice(0, 5).join('], contactIds[')}]${outside.length > 5 ? ` and ${outside.length - 5} more` : ''}`);
    }
  } else if (definition.segment) {
    const segment = definition.segment;
    if (segment.orgUnitId && !tree.has(segment.orgUnitId)) problems.push({ path: 'segment.orgUnitId', message: `unknown organisation unit "${segment.orgUnitId}"` });
    const units = segment.orgUnitId ? subtreeOf(tree, segment.orgUnitId) : tree.bottomUp();
    for (const unitId of units) {
      for (const contact of await deps.store.listContactsOfUnit(unitId)) if (matchesSegment(contact, segment, tree)) contacts.push(contact);
    }
  }
  return { contacts, problems };
}

function subtreeOf(tree: OrgTree, unitId: string): string[] {
  const ids: string[] = [];
  const visit = (id: string) => {
    ids.push(id);
    tree.children(id).forEach(visit);
  };
  if (tree.has(unitId)) visit(unitId);
  return ids;
}

/** One invitation: link campaigns hand it over at once; SMS ones wait for the dispatcher. */
export function newInvitation(
  campaign: Pick<CampaignRecord, 'campaignId' | 'surveyId' | 'version' | 'channel'>,
  contact: Pick<ContactRecord, 'contactId' | 'orgUnitId' | 'name' | 'phone' | 'email' | 'externalId' | 'lang' | 'grade'> | undefined,
  options: {
    orgUnitId: string;
    now: Date;
    dueAt: Date;
    expiresInDays: number;
    eventId?: string;
    staffId?: string;
    mystery?: boolean;
    management?: boolean;
    rawContact?: InvitationRecord['contact'];
  },
): InvitationRecord {
  const sms = campaign.channel === 'sms';
  return {
    invitationId: newId('inv'),
    token: newToken(),
    campaignId: campaign.campaignId,
    surveyId: campaign.surveyId,
    version: campaign.version,
    orgUnitId: options.orgUnitId,
    contact: options.rawContact ?? {
      ...(contact?.name ? { name: contact.name } : {}),
      ...(contact?.phone ? { phone: contact.phone } : {}),
      ...(contact?.email ? { email: contact.email } : {}),
      ...(contact?.externalId ? { externalId: contact.externalId } : {}),
    },
    createdAt: options.now.toISOString(),
    expiresAt: new Date(Math.max(options.now.getTime(), options.dueAt.getTime()) + options.expiresInDays * DAY_MS).toISOString(),
    channel: campaign.channel,
    ...(contact ? { contactId: contact.contactId } : {}),
    ...(contact?.lang ? { lang: contact.lang } : {}),
    ...(contact?.grade ? { grade: contact.grade } : {}),
    status: sms ? 'pending' : 'sent',
    ...(sms ? { nextAction: 'invite' as const, dueAt: options.dueAt.toISOString(), attempts: 0 } : { sentAt: options.now.toISOString() }),
    reminders: 0,
    ...(options.eventId ? { eventId: options.eventId } : {}),
    ...(options.staffId ? { staffId: options.staffId } : {}),
    ...(options.mystery ? { panel: 'mystery' as const } : {}),
    ...(options.management ? { audience: 'management' as const } : {}),
  };
}

export const linkOf = (base: string, token: string) => `${base}/s/${token}`;

/**
 * The units a campaign's definition names without reading contacts: its inline contacts' units, its
 * segment's unit, and for a segment of the whole organisation or a trigger (events of any unit
 * invite) every root. Contacts named by id are checked as they are read (`resolveTarget`).
 */
export function namedAudienceUnits(definition: CampaignDefinition, tree: OrgTree): string[] {
  const units = new Set<string>();
  for (const contact of definition.contacts ?? []) {
    const unit = (contact as Record<string, unknown>).orgUnitId;
    if (typeof unit === 'string' && tree.has(unit)) units.add(unit);
  }
  if (definition.segment) {
    if (definition.segment.orgUnitId) units.add(definition.segment.orgUnitId);
    else tree.roots.forEach((root) => units.add(root));
  }
  if (definition.trigger) tree.roots.forEach((root) => units.add(root));
  return [...units];
}

/** Refuses (403, nothing created) a campaign whose named audience reaches outside the caller's scope. */
export async function requireAudienceInScope(definition: CampaignDefinition, tree: OrgTree, access: AccessCheck | undefined): Promise<string[]> {
  const units = namedAudienceUnits(definition, tree);
  if (access) await access.requireUnits(units, "the campaign's audience");
  return units;
}

/**
 * The base of respondent links: configuration only (PUBLIC_BASE_URL; the stack sets the API's URL
 * when none is given, the local platform its own address), never the request's Host or
 * X-Forwarded-Proto, which a caller controls.
 */
export function linkBase(deps: Pick<Deps, 'config'>): string {
  const base = deps.config.publicBaseUrl;
  if (!base) throw new Error('PUBLIC_BASE_URL is not configured: respondent links cannot be made');
  return base;
}

/**
 * The definition as the campaign record keeps it: inline contacts hold names and numbers, which
 * belong in contact records (erasable, and read again by later waves through their ids) and in
 * invitation snapshots, not in the campaign too. An SMS campaign's inline contacts, stored as
 * contacts when it was made, are kept as those contacts' ids; a link campaign's keep their unit
 * and grade only (their invitations were made at once and are all it needs).
 */
function withoutPersonalData(definition: CampaignDefinition, resolvedContactIds: readonly string[] | undefined): CampaignDefinition {
  if (!definition.contacts) return definition;
  const { contacts, ...rest } = definition;
  if (resolvedContactIds && resolvedContactIds.length > 0) return { ...rest, contactIds: [...new Set(resolvedContactIds)] };
  return {
    ...rest,
    contacts: contacts.map((contact) => Object.fromEntries(Object.entries(contact).filter(([field]) => field === 'orgUnitId' || field === 'grade'))),
  };
}

export async function createCampaign(deps: Deps, input: unknown, access?: AccessCheck): Promise<CreatedCampaign> {
  const definition = parseCampaign(input, deps.config);
  const survey = await loadSurvey(deps, definition.surveyId, definition.version);
  const tree = new OrgTree(await deps.store.listOrgUnits());
  const replyProblems = checkReplyCampaign(definition, survey.definition);
  if (replyProblems.length > 0) throw invalid(replyProblems, 'invalid campaign');
  const namedUnits = await requireAudienceInScope(definition, tree, access);

  const now = deps.clock.now();
  const campaign: CampaignRecord = {
    campaignId: newId('cmp'),
    surveyId: survey.surveyId,
    version: survey.version,
    channel: definition.channel,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + (definition.expiresInDays ?? deps.config.invitationExpiresDays) * DAY_MS).toISOString(),
    invitationCount: 0,
    definition: { ...definition, baseUrl: linkBase(deps) },
  };

  let invitations: InvitationRecord[] = [];
  let reach = namedUnits;
  let resolvedContactIds: string[] | undefined;
  if (definition.channel === 'link' && definition.contacts) {
    invitations = linkInvitations(deps, campaign, definition, tree, now);
  } else if (!definition.trigger) {
    const { contacts, problems } = await resolveTarget(deps, definition, tree, access);
    if (problems.length > 0) throw invalid(problems, 'invalid campaign');
    resolvedContactIds = contacts.map((contact) => contact.contactId);
    reach = [...new Set([...namedUnits, ...contacts.map((contact) => contact.orgUnitId)])];
    if (!definition.recurrence && !definition.schedule) {
      invitations = inviteWave(campaign, definition, contacts, now, definition.startAt ? new Date(definition.startAt) : now, deps.config.invitationExpiresDays);
    }
  }
  campaign.invitationCount = invitations.length;
  campaign.reach = reach;
  campaign.listedUnder = listedUnderOf(tree, reach);
  campaign.definition = { ...withoutPersonalData(definition, resolvedContactIds), baseUrl: linkBase(deps) };
  // Triggers and schedules first, the campaign record last: a crash in between leaves records that
  // name a missing campaign (skipped by events and the dispatcher), never a campaign that never runs.
  if (definition.trigger) await deps.store.putTrigger({ campaignId: campaign.campaignId, eventType: definition.trigger.eventType });
  if (definition.recurrence) {
    const zone = definition.recurrence.timeZone ?? deps.config.timeZone;
    await deps.store.putScheduledCampaign({ campaignId: campaign.campaignId, kind: 'recurring', nextRunAt: nextCronRun(definition.recurrence.cron, zone, now).toISOString() });
  }
  if (definition.schedule) {
    await deps.store.putScheduledCampaign({ campaignId: campaign.campaignId, kind: 'return-visit', nextRunAt: now.toISOString(), lastRunAt: now.toISOString() });
  }
  await deps.store.createCampaign(campaign, invitations);
  deps.logger.info('campaign created', { campaignId: campaign.campaignId, surveyId: survey.surveyId, channel: definition.channel, invitations: invitations.length });
  const base = linkBase(deps);
  return {
    campaignId: campaign.campaignId,
    invitations: invitations.map((inv) => ({
      invitationId: inv.invitationId,
      token: inv.token,
      url: linkOf(base, inv.token),
      status: inv.status ?? 'pending',
      ...(inv.contactId ? { contactId: inv.contactId } : {}),
    })),
  };
}

/** Invitations for a set of contacts; with `sample`, only the drawn mystery customers. */
export function inviteWave(
  campaign: CampaignRecord,
  definition: CampaignDefinition,
  contacts: readonly ContactRecord[],
  now: Date,
  dueAt: Date,
  defaultExpiresDays: number,
): InvitationRecord[] {
  const drawn = definition.sample ? drawSample(contacts, definition.sample.size, definition.sample.seed ?? campaign.campaignId) : contacts;
  const expiresInDays = definition.expiresInDays ?? defaultExpiresDays;
  return drawn.map((contact) =>
    newInvitation(campaign, contact, {
      orgUnitId: contact.orgUnitId,
      now,
      dueAt,
      expiresInDays,
      mystery: definition.sample !== undefined,
      management: definition.audience === 'management',
    }),
  );
}

/** The campaign as stored, with its definition parsed again (it was valid when stored). */
export async function loadCampaign(deps: Pick<Deps, 'store'>, campaignId: string): Promise<{ campaign: CampaignRecord; definition: CampaignDefinition & { baseUrl?: string } }> {
  const campaign = await deps.store.getCampaign(campaignId);
  if (!campaign) throw notFound(`unknown campaign "${campaignId}"`);
  if (!campaign.definition) throw new Error(`campaign ${campaignId} has no stored definition`);
  const { baseUrl, ...rest } = campaign.definition as Record<string, unknown> & { baseUrl?: string };
  return { campaign, definition: { ...createCampaignSchema.parse(rest), ...(baseUrl ? { baseUrl } : {}) } };
}
