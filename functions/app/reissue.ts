/**
 * POST /admin/invitations/{invitationId}/reissue: a new personal link for a link invitation, the
 * old one no longer opening the survey. Links are shown once, when an invitation is made (a token
 * is a secret, kept nowhere else); an authorised user who needs one again re-issues it instead.
 * An SMS invitation's link went out in its message, so it is not re-issued; nor is an answered or
 * an expired one. functions/store/invitations.ts says how the move survives a crash.
 */
import { conflict, gone, invalid, notFound, problemsFromZod } from '../domain/errors';
import { MAX_ID_LENGTH } from '../domain/primitives';
import * as z from '../domain/zod';
import { newToken } from '../shared/ids';
import type { AccessCheck } from './access';
import { linkBase, linkOf } from './campaigns';
import type { Deps } from './deps';

const reissueSchema = z.strictObject({
  /** Needed only for an invitation made before invitations had refs by id: where to look it up. */
  campaignId: z.optional(z.string().check(z.minLength(1), z.maxLength(MAX_ID_LENGTH))),
});

export interface ReissuedLink {
  invitationId: string;
  campaignId: string;
  token: string;
  url: string;
  expiresAt: string;
}

export async function reissueInvitationLink(deps: Pick<Deps, 'store' | 'clock' | 'config' | 'logger'>, invitationId: string, body: unknown, access: AccessCheck): Promise<ReissuedLink> {
  const parsed = reissueSchema.safeParse(body ?? {});
  if (!parsed.success) throw invalid(problemsFromZod(parsed.error.issues), 'invalid re-issue request');
  const unknown = () => notFound(`unknown invitation "${invitationId}"${parsed.data.campaignId ? '' : ' (one made before links could be re-issued is found with its campaignId)'}`);
  const token = await deps.store.invitationTokenOf(invitationId, parsed.data.campaignId);
  if (!token) throw unknown();
  const before = await deps.store.getInvitationByToken(token);
  if (!before || before.invitationId !== invitationId) throw unknown();
  await access.requireUnits([before.orgUnitId], 'the invitation');
  // A re-issue that stopped after its commit is finished first.
  if (before.reissuedFrom) await deps.store.completeReissue(token);
  const found = await deps.store.getInvitationWithResponse(token);
  if (!found) throw unknown();
  const { invitation } = found;
  if (invitation.channel !== 'link') throw conflict('an SMS invitation\'s link went out in its message and is not re-issued');
  if (found.answered) throw conflict('this invitation is answered: a new link would change nothing');
  if (deps.clock.now().getTime() > Date.parse(invitation.expiresAt)) throw gone('this invitation has expired');
  const next = newToken();
  const outcome = await deps.store.reissueInvitation(invitation, next, deps.clock.now().toISOString());
  if (outcome === 'gone') throw unknown();
  if (outcome === 'conflict') throw conflict('this link was re-issued meanwhile: ask again for the newest one');
  if (outcome === 'answered') throw conflict('this invitation was answered meanwhile: a new link would change nothing');
  deps.logger.info('invitation link re-issued', { invitationId, campaignId: invitation.campaignId });
  return { invitationId, campaignId: invitation.campaignId, token: next, url: linkOf(linkBase(deps), next), expiresAt: invitation.expiresAt };
}
