import { z } from 'zod';
import { invalid, problemsFromZod, type Problem } from '../domain/errors';
import { newId, newToken } from '../shared/ids';
import type { InvitationRecord } from '../store/dynamo-store';
import type { Deps } from './deps';

const contactSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  phone: z.string().regex(/^\+?[0-9][0-9 -]{5,19}$/, { error: 'expected a phone number' }).optional(),
  email: z.email().optional(),
  orgUnitId: z.string().min(1),
  externalId: z.string().min(1).max(200).optional(),
});

export const createCampaignSchema = z.strictObject({
  surveyId: z.string().min(1),
  version: z.int().positive().optional(),
  channel: z.literal('link'),
  contacts: z.array(contactSchema).min(1, { error: 'give at least one contact' }).max(10_000),
  expiresInDays: z.int().positive().max(365).optional(),
});

export interface CreatedCampaign {
  campaignId: string;
  invitations: { invitationId: string; token: string; url: string }[];
}

const DAY_MS = 86_400_000;

/** Creates a link campaign: one invitation with a secret token per contact. */
export async function createCampaign(deps: Deps, input: unknown, baseUrl: string): Promise<CreatedCampaign> {
  const parsed = createCampaignSchema.safeParse(input);
  if (!parsed.success) throw invalid(problemsFromZod(parsed.error.issues), 'invalid campaign');
  const request = parsed.data;

  const survey = request.version
    ? await deps.store.getSurveyVersion(request.surveyId, request.version)
    : await deps.store.getLatestSurveyVersion(request.surveyId);
  if (!survey) {
    const what = request.version ? `questionnaire "${request.surveyId}" version ${request.version}` : `questionnaire "${request.surveyId}"`;
    throw invalid([{ path: request.version ? 'version' : 'surveyId', message: `unknown ${what}` }], 'invalid campaign');
  }
  const units = new Set((await deps.store.listOrgUnits()).map((u) => u.id));
  const problems: Problem[] = request.contacts.flatMap((contact, i) =>
    units.has(contact.orgUnitId) ? [] : [{ path: `contacts[${i}].orgUnitId`, message: `unknown organisation unit "${contact.orgUnitId}"` }],
  );
  if (problems.length > 0) throw invalid(problems, 'invalid campaign');

  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + (request.expiresInDays ?? deps.config.invitationExpiresDays) * DAY_MS).toISOString();
  const campaignId = newId('cmp');
  const invitations: InvitationRecord[] = request.contacts.map((contact) => ({
    invitationId: newId('inv'),
    token: newToken(),
    campaignId,
    surveyId: survey.surveyId,
    version: survey.version,
    orgUnitId: contact.orgUnitId,
    contact: {
      ...(contact.name ? { name: contact.name } : {}),
      ...(contact.phone ? { phone: contact.phone } : {}),
      ...(contact.email ? { email: contact.email } : {}),
      ...(contact.externalId ? { externalId: contact.externalId } : {}),
    },
    createdAt: now.toISOString(),
    expiresAt,
  }));
  await deps.store.createCampaign(
    { campaignId, surveyId: survey.surveyId, version: survey.version, channel: 'link', createdAt: now.toISOString(), expiresAt, invitationCount: invitations.length },
    invitations,
  );
  deps.logger.info('campaign created', { campaignId, surveyId: survey.surveyId, version: survey.version, invitations: invitations.length });
  const base = deps.config.publicBaseUrl ?? baseUrl;
  return {
    campaignId,
    invitations: invitations.map((inv) => ({ invitationId: inv.invitationId, token: inv.token, url: `${base}/s/${inv.token}` })),
  };
}
