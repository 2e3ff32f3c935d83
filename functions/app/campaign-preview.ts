/**
 * POST /admin/campaigns/preview: what a campaign would do, without creating anything. For any
 * channel: how many contacts its audience holds now, a masked sample of them, and the contact
 * rules that will apply (quiet hours, frequency cap, expiry; platform settings, shown so the
 * console can say when messages will go). For SMS also the text per contact (links at their
 * real length), its encoding and segments, and the cost estimate; a text shows the contact's name
 * masked unless the caller may see personal data (the counts are of the real text).
 */
import { normaliseContact } from '../domain/distribution/contacts';
import type { CountryCode } from '../domain/distribution/phone';
import { composeSms, estimateCost, smsSegments } from '../domain/distribution/sms-text';
import { invalid, type Problem } from '../domain/errors';
import { OrgTree } from '../domain/org';
import type { ContactRecord } from '../domain/records';
import { newToken } from '../shared/ids';
import { maskEmail, maskName, maskPhone } from '../shared/privacy';
import type { AccessCheck } from './access';
import { linkBase, linkOf, loadSurvey, parseCampaign, requireAudienceInScope, resolveTarget, type CampaignDefinition } from './campaigns';
import type { Deps } from './deps';

/** How many of the audience the preview shows (and composes texts for). */
export const PREVIEW_SAMPLE_SIZE = 20;

export interface CampaignPreview {
  audience: {
    /** Contacts the target holds now (before opt-outs, the cap and a mystery sample are applied). */
    count: number;
    /** The first few, masked unless the caller may see personal data. */
    sample: { contactId: string; orgUnitId: string; name?: string; to?: string }[];
  };
  /** The contact rules the sender applies (platform settings). */
  /** The contact rules the sender applies: the platform's, the campaign's own quiet hours besides, the longer cap. */
  rules: { quietHours: { start: string; end: string }; campaignQuietHours?: { start: string; end: string }; frequencyCapDays: number; expiresInDays: number; timeZone: string };
  /** SMS only: the texts of the sample's messages. */
  messages: { contactId: string; to: string; lang: string; body: string; encoding: string; segments: number; cost: number }[];
  /** SMS only: totals over the whole audience (every contact's text is counted, not just the sample's). */
  totals: { messages: number; segments: number; cost: number; currency: string; pricePerSegment: number };
}

export async function previewCampaign(deps: Deps, input: unknown, access?: AccessCheck): Promise<CampaignPreview> {
  const definition = parseCampaign(input, deps.config);
  if (definition.trigger) throw invalid([{ path: 'trigger', message: 'a triggered campaign has no target to preview; post a service event' }]);
  const survey = await loadSurvey(deps, definition.surveyId, definition.version);
  const tree = new OrgTree(await deps.store.listOrgUnits());
  await requireAudienceInScope(definition, tree, access);
  const { contacts, problems } = definition.contacts ? previewInline(deps, definition, tree) : await resolveTarget(deps, definition, tree, access);
  if (problems.length > 0) throw invalid(problems, 'invalid campaign');
  const pii = access?.pii === true;
  const shown = (value: string | undefined, mask: (value: string) => string) => (value === undefined ? undefined : pii ? value : mask(value));
  const price = deps.config.sms.segmentPrice;
  const sms = definition.channel === 'sms' ? definition.sms : undefined;
  const sampleLink = linkOf(linkBase(deps), 'x'.repeat(newToken().length));
  const textOf = (contact: ContactRecord) => {
    const lang = contact.lang ?? survey.definition.languages[0] ?? 'zh-CN';
    const compose = (name: string | undefined) =>
      composeSms({
        signature: sms!.signature,
        template: sms!.template,
        lang,
        fallbackLang: survey.definition.languages[0] ?? lang,
        values: { ...(name ? { name } : {}), link: sampleLink, unit: tree.unit(contact.orgUnitId)?.name ?? contact.orgUnitId },
        marketing: sms!.marketing,
      });
    const body = compose(contact.name);
    // Counted on the real text; shown with the name masked to a caller who may not see it.
    return { lang, body: pii ? body : compose(shown(contact.name, maskName)), ...smsSegments(body) };
  };
  const texts = sms ? contacts.map(textOf) : [];
  const segments = texts.reduce((sum, text) => sum + text.segments, 0);
  const sample = contacts.slice(0, PREVIEW_SAMPLE_SIZE);
  return {
    audience: {
      count: contacts.length,
      sample: sample.map((contact) => {
        const name = shown(contact.name, maskName);
        const to = shown(contact.phone, maskPhone) ?? shown(contact.email, maskEmail);
        return { contactId: contact.contactId, orgUnitId: contact.orgUnitId, ...(name !== undefined ? { name } : {}), ...(to !== undefined ? { to } : {}) };
      }),
    },
    rules: {
      quietHours: deps.config.quietHours,
      ...(definition.quietHours ? { campaignQuietHours: definition.quietHours } : {}),
      frequencyCapDays: Math.max(deps.config.frequencyCapDays, definition.frequencyCapDays ?? 0),
      expiresInDays: definition.expiresInDays ?? deps.config.invitationExpiresDays,
      timeZone: deps.config.timeZone,
    },
    messages: sms
      ? sample.map((contact, i) => {
          const text = texts[i]!;
          return { contactId: contact.contactId, to: shown(contact.phone, maskPhone) ?? '', lang: text.lang, body: text.body, encoding: text.encoding, segments: text.segments, cost: estimateCost(text.segments, price) };
        })
      : [],
    totals: { messages: texts.length, segments, cost: estimateCost(segments, price), currency: deps.config.sms.currency, pricePerSegment: price },
  };
}

/** Inline contacts previewed without storing them. */
function previewInline(deps: Deps, definition: CampaignDefinition, tree: OrgTree): { contacts: ContactRecord[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const contacts: ContactRecord[] = [];
  for (const [i, raw] of (definition.contacts ?? []).entries()) {
    const normalised = normaliseContact(raw, { defaultRegion: deps.config.defaultRegion as CountryCode });
    if (!normalised.ok) normalised.problems.forEach((p) => problems.push({ path: `contacts[${i}].${p.path}`, message: p.message }));
    else if (!tree.has(normalised.contact.orgUnitId)) problems.push({ path: `contacts[${i}].orgUnitId`, message: `unknown organisation unit "${normalised.contact.orgUnitId}"` });
    else contacts.push({ contactId: `(new ${i + 1})`, ...normalised.contact, fingerprint: '', createdAt: '', updatedAt: '' });
  }
  return { contacts, problems };
}
