import { DomainError, conflict, gone, notFound } from '../domain/errors';
import { validateAnswers, type AnswerProblem } from '../domain/answers';
import { periodOf } from '../domain/period';
import type { Questionnaire } from '../domain/questionnaire';
import { newId } from '../shared/ids';
import type { InvitationRecord, ResponseRecord } from '../domain/records';
import { openCasesForResponse } from './case-opening';
import { attachFollowUp } from './case-follow-up';
import type { Deps } from './deps';

export type InvitationState = 'open' | 'expired' | 'answered';

export interface OpenedInvitation {
  invitation: InvitationRecord;
  questionnaire: Questionnaire;
  state: InvitationState;
}

/** A submission: the answers as received (validated here), the language shown, the channel if not the invitation's. */
export interface ResponseInput {
  answers: unknown;
  lang: string;
  channel?: 'link' | 'sms';
}

/** Answers that fail validation; carries the per-question problems for the page or the JSON body. */
export class InvalidAnswersError extends DomainError {
  constructor(readonly answerProblems: AnswerProblem[]) {
    super('validation', 'some answers are invalid', answerProblems.map(({ path, message }) => ({ path, message })));
  }
}

/** The invitation behind a token, its questionnaire and whether it can still be answered. */
export async function openInvitation(deps: Pick<Deps, 'store' | 'clock'>, token: string): Promise<OpenedInvitation> {
  // One read: the invitation and its response share the token's partition (the response, not the
  // invitation's status, says it is answered; the questionnaire version is kept in memory).
  const found = await deps.store.getInvitationWithResponse(token);
  // A link re-issued since is no longer a link (POST /admin/invitations/{id}/reissue).
  if (!found || found.invitation.supersededBy) throw notFound('unknown survey link');
  return openedFrom(deps, found);
}

/** The state of an invitation read with its response (the SMS reply flow reads it itself). */
export async function openedFrom(
  deps: Pick<Deps, 'store' | 'clock'>,
  { invitation, answered }: { invitation: InvitationRecord; answered: boolean },
): Promise<OpenedInvitation> {
  const survey = await deps.store.getSurveyVersion(invitation.surveyId, invitation.version);
  if (!survey) throw new Error(`invitation ${invitation.invitationId} names a missing questionnaire version`);
  const expired = deps.clock.now().getTime() > Date.parse(invitation.expiresAt);
  return { invitation, questionnaire: survey.definition, state: answered ? 'answered' : expired ? 'expired' : 'open' };
}

/** Opens the invitation behind a token and answers it (see answerInvitation). */
export async function submitResponse(deps: Deps, token: string, input: ResponseInput): Promise<{ responseId: string; questionnaire: Questionnaire }> {
  return answerInvitation(deps, await openInvitation(deps, token), input);
}

/**
 * Stores one response per invitation, for an invitation the caller has opened (a form post needs
 * the questionnaire before the answers, so it opens once and answers what it opened). The
 * conditional put is the guarantee: a retry or a concurrent double submit finds the response
 * already there and gets a conflict. It is the submit's only write: the invitation's status and its
 * pending reminder follow from the response where they are read (the sender, the campaign's status).
 */
export async function answerInvitation(
  deps: Deps,
  { invitation, questionnaire, state }: OpenedInvitation,
  input: ResponseInput,
): Promise<{ responseId: string; questionnaire: Questionnaire }> {
  if (state === 'answered') throw conflict('this survey has already been answered');
  if (state === 'expired') throw gone('this survey link has expired');
  const validation = validateAnswers(questionnaire, input.answers);
  if (!validation.ok) throw new InvalidAnswersError(validation.problems);

  const submittedAt = deps.clock.now();
  const responseId = newId('rsp');
  const response: ResponseRecord = {
    responseId,
    invitationId: invitation.invitationId,
    campaignId: invitation.campaignId,
    surveyId: invitation.surveyId,
    version: invitation.version,
    orgUnitId: invitation.orgUnitId,
    channel: input.channel ?? invitation.channel ?? 'link',
    ...(invitation.eventId ? { eventId: invitation.eventId } : {}),
    ...(invitation.staffId ? { staffId: invitation.staffId } : {}),
    ...(invitation.caseId ? { caseId: invitation.caseId } : {}),
    ...(invitation.panel ? { panel: invitation.panel } : {}),
    ...(invitation.audience ? { audience: invitation.audience } : {}),
    ...(invitation.grade ? { grade: invitation.grade } : {}),
    period: periodOf(submittedAt, questionnaire.timeZone),
    submittedAt: submittedAt.toISOString(),
    lang: questionnaire.languages.includes(input.lang) ? input.lang : (questionnaire.languages[0] ?? 'en'),
    answers: validation.answers,
  };
  const outcome = await deps.store.putResponseOnce(invitation.token, response);
  if (outcome === 'duplicate') throw conflict('this survey has already been answered');
  deps.logger.info('response stored', { responseId, surveyId: invitation.surveyId, campaignId: invitation.campaignId });
  try {
    if (response.caseId) await attachFollowUp(deps, response, questionnaire);
    else await openCasesForResponse(deps, response, questionnaire);
  } catch (error) {
    // The response is stored: the answer stands, and the case sweep evaluates it again.
    deps.logger.error('alert evaluation failed; the case sweep will evaluate the response again', { responseId, error: error as Error });
  }
  return { responseId, questionnaire };
}
