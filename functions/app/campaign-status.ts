/**
 * What a campaign's invitations have come to: GET /admin/campaigns/{campaignId} (every
 * invitation's state) and GET /admin/campaigns/{campaignId}/invitations (a page of them, with the
 * contact as the reader may see it). One with a response reads as responded (the submit writes only
 * the response: the stored status follows later, or never for a link), a sent one past its expiry
 * as expired.
 */
import { invalid, notFound, problemsFromZod } from '../domain/errors';
import type { CampaignRecord, InvitationRecord, InvitationStatus } from '../domain/records';
import * as z from '../domain/zod';
import { maskEmail, maskName, maskPhone } from '../shared/privacy';
import type { AccessCheck } from './access';
import type { Deps } from './deps';
import { pageQueryShape, withCursor } from './list-pages';

export interface CampaignStatus {
  campaignId: string;
  surveyId: string;
  version: number;
  channel: 'link' | 'sms';
  /**
   * `sentAt`: when its message went out (an invitation that expired unsent has none); `deliveredAt`
   * and `deliveryFailure`: what the provider's receipts said (SMS only; a receipt may take hours).
   */
  invitations: {
    invitationId: string;
    contactId?: string;
    status: InvitationStatus;
    reason?: string;
    sentAt?: string;
    deliveredAt?: string;
    deliveryFailure?: string;
    reminders: number;
    panel?: 'mystery';
    eventId?: string;
  }[];
}

/** The campaign, if the caller may read it (its whole reach inside the caller's scope). */
async function readableCampaign(deps: Pick<Deps, 'store'>, campaignId: string, access: AccessCheck | undefined, invitations?: () => Promise<InvitationRecord[]>): Promise<CampaignRecord> {
  const campaign = await deps.store.getCampaign(campaignId);
  if (!campaign) throw notFound(`unknown campaign "${campaignId}"`);
  if (!access) return campaign;
  if (campaign.reach) await access.requireUnits(campaign.reach, 'the campaign');
  // A campaign created before reaches were stored: its invitations' units say whom it reached.
  else if (invitations) await access.requireUnits(new Set((await invitations()).map((inv) => inv.orgUnitId)), 'the campaign');
  return campaign;
}

/** The status each invitation is shown with, and why (one read of the responses that may exist). */
async function shownStatuses(deps: Pick<Deps, 'store' | 'clock'>, invitations: readonly InvitationRecord[]): Promise<Map<string, { status: InvitationStatus; reason?: string }>> {
  const now = deps.clock.now().getTime();
  // Only a link that may have reached someone can have a response: not one marked responded
  // already, nor one skipped or failed (its message never went out).
  const mayHaveAnswered = invitations.filter((inv) => inv.status !== 'responded' && inv.status !== 'skipped' && inv.status !== 'failed');
  const answered = await deps.store.answeredTokens(mayHaveAnswered.map((inv) => inv.token));
  return new Map(
    invitations.map((inv) => {
      const stored = answered.has(inv.token) ? 'responded' : (inv.status ?? 'sent');
      const status: InvitationStatus = stored === 'sent' && now > Date.parse(inv.expiresAt) ? 'expired' : stored;
      const reason = inv.reason && status !== 'responded' ? inv.reason : status === 'expired' ? 'expired' : undefined;
      return [inv.invitationId, { status, ...(reason ? { reason } : {}) }];
    }),
  );
}

/** GET /admin/campaigns/{campaignId}. */
export async function campaignStatus(deps: Pick<Deps, 'store' | 'clock'>, campaignId: string, access?: AccessCheck): Promise<CampaignStatus> {
  let listed: Promise<InvitationRecord[]> | undefined;
  const invitationsOf = () => (listed ??= deps.store.listInvitations(campaignId));
  const campaign = await readableCampaign(deps, campaignId, access, invitationsOf);
  const invitations = await invitationsOf();
  const shown = await shownStatuses(deps, invitations);
  return {
    campaignId,
    surveyId: campaign.surveyId,
    version: campaign.version,
    channel: campaign.channel,
    invitations: invitations
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.invitationId.localeCompare(b.invitationId))
      .map((inv) => ({
        invitationId: inv.invitationId,
        ...(inv.contactId ? { contactId: inv.contactId } : {}),
        ...shown.get(inv.invitationId)!,
        ...sendingOf(inv),
        reminders: inv.reminders ?? 0,
        ...(inv.panel ? { panel: inv.panel } : {}),
        ...(inv.eventId ? { eventId: inv.eventId } : {}),
      })),
  };
}

/** When its message went out and what the receipts said, as both views show them. */
const sendingOf = (inv: InvitationRecord): Pick<InvitationView, 'sentAt' | 'deliveredAt' | 'deliveryFailure'> => ({
  ...(inv.sentAt ? { sentAt: inv.sentAt } : {}),
  ...(inv.deliveredAt ? { deliveredAt: inv.deliveredAt } : {}),
  ...(inv.deliveryFailure && !inv.deliveredAt ? { deliveryFailure: inv.deliveryFailure } : {}),
});

const DEFAULT_PAGE_SIZE = 50;
const invitationsQuerySchema = z.strictObject(pageQueryShape);

export interface InvitationView {
  invitationId: string;
  orgUnitId: string;
  contactId?: string;
  /** As the reader may see it: masked unless it sees personal data. */
  contact: { name?: string; phone?: string; email?: string; externalId?: string };
  channel: 'link' | 'sms';
  status: InvitationStatus;
  reason?: string;
  reminders: number;
  createdAt: string;
  expiresAt: string;
  sentAt?: string;
  deliveredAt?: string;
  deliveryFailure?: string;
  lang?: string;
  panel?: 'mystery';
  eventId?: string;
}

const shownContact = (contact: InvitationRecord['contact'], pii: boolean): InvitationView['contact'] =>
  pii
    ? contact
    : {
        ...(contact.name ? { name: maskName(contact.name) } : {}),
        ...(contact.phone ? { phone: maskPhone(contact.phone) } : {}),
        ...(contact.email ? { email: maskEmail(contact.email) } : {}),
        ...(contact.externalId ? { externalId: contact.externalId } : {}),
      };

/** GET /admin/campaigns/{campaignId}/invitations: a page of invitations in id order (no link: tokens are secret; see reissue). */
export async function listCampaignInvitations(deps: Pick<Deps, 'store' | 'clock'>, campaignId: string, query: unknown, access: AccessCheck): Promise<{ campaignId: string; invitations: InvitationView[]; cursor?: string }> {
  const parsed = invitationsQuerySchema.safeParse(query);
  if (!parsed.success) throw invalid(problemsFromZod(parsed.error.issues), 'invalid list query');
  const campaign = await readableCampaign(deps, campaignId, access, () => deps.store.listInvitations(campaignId));
  const page = await withCursor(() => deps.store.listInvitationsPage(campaignId, parsed.data.limit ?? DEFAULT_PAGE_SIZE, parsed.data.cursor));
  const shown = await shownStatuses(deps, page.items);
  return {
    campaignId,
    invitations: page.items.map((inv) => ({
      invitationId: inv.invitationId,
      orgUnitId: inv.orgUnitId,
      ...(inv.contactId ? { contactId: inv.contactId } : {}),
      contact: shownContact(inv.contact ?? {}, access.pii),
      channel: inv.channel ?? campaign.channel,
      ...shown.get(inv.invitationId)!,
      reminders: inv.reminders ?? 0,
      createdAt: inv.createdAt,
      expiresAt: inv.expiresAt,
      ...sendingOf(inv),
      ...(inv.lang ? { lang: inv.lang } : {}),
      ...(inv.panel ? { panel: inv.panel } : {}),
      ...(inv.eventId ? { eventId: inv.eventId } : {}),
    })),
    ...(page.cursor ? { cursor: page.cursor } : {}),
  };
}
