/**
 * Inbound SMS (End User Messaging two-way SMS through SNS on AWS; POST /dev/sms/inbound locally):
 * T, TD, STOP, 退订 opt the number out at once (one confirmation); START, 订阅 opt it back in; a
 * digit answers the one-question survey last sent to that number (first answer wins, later ones
 * are acknowledged, not stored); words written back to an invitation open a case (./case-sources.ts)
 * and are acknowledged once; anything else gets one help reply.
 */
import { classifyInbound, isWrittenFeedback, replyTexts } from '../domain/distribution/inbound';
import type { PhoneResult } from '../domain/distribution/phone-result';
import { withSignature } from '../domain/distribution/sms-text';
import { DomainError } from '../domain/errors';
import { createHash } from 'node:crypto';
import type { Deps } from './deps';
import { answerInvitation, openedFrom } from './respondent';
import { logSmsEvent } from './sender';
import { openReplyCase } from './case-sources';

export interface InboundResult {
  outcome: 'opted-out' | 'already-opted-out' | 'opted-in' | 'already-opted-in' | 'answered' | 'already-answered' | 'case' | 'help' | 'ignored';
  /** The case words written back opened or joined. */
  caseId?: string;
  /** The replies sent back (bodies), for the local runtime and tests. */
  replies: string[];
}

async function reply(deps: Deps, to: string, body: string, inbound: { body: string; at: string }): Promise<void> {
  const key = createHash('sha256').update(`${to}|${inbound.at}|${inbound.body}|${body}`).digest('hex').slice(0, 32);
  await deps.sms.send({ to, body, idempotencyKey: `reply:${key}`, segments: 1, kind: 'transactional' });
  await logSmsEvent(deps, { kind: 'send', phone: to, status: 'accepted', detail: 'reply' });
}

/**
 * `readNumber` reads the sender's number: AWS gives E.164 (functions/domain/distribution/e164.ts),
 * the local runtime's POST /dev/sms/inbound takes numbers as people write them (./phone.ts).
 */
export async function handleInboundSms(
  deps: Deps,
  message: { from: string; body: string; receivedAt?: string; messageId?: string | undefined },
  readNumber: (raw: string) => PhoneResult,
): Promise<InboundResult> {
  const phone = readNumber(message.from);
  if (!phone.ok) {
    deps.logger.warn('inbound SMS from an unreadable number ignored');
    return { outcome: 'ignored', replies: [] };
  }
  const from = phone.e164;
  const at = message.receivedAt ?? deps.clock.now().toISOString();
  const classified = classifyInbound(message.body);
  // An opt-out takes effect before anything else is read or written (opt-out always wins).
  const optOutChanged = classified.kind === 'opt-out' ? await deps.store.setOptOut('sms', from, true, at) : false;
  await logSmsEvent(deps, { kind: 'receive', phone: from, detail: message.body.slice(0, 160) });
  const optedOut = classified.kind === 'opt-out' || (classified.kind !== 'opt-in' && (await deps.store.isOptedOut('sms', from)));
  const target = await deps.store.latestSmsReplyTarget(from);
  // The invitation with its response (one read): a digit answers it without reading it again.
  const found = target ? await deps.store.getInvitationWithResponse(target.token) : undefined;
  const invitation = found?.invitation;
  const lang = invitation?.lang ?? 'zh-CN';
  const survey = invitation ? await deps.store.getSurveyVersion(invitation.surveyId, invitation.version) : undefined;
  const rating = survey?.definition.questions.find((q) => q.type === 'rating');
  const scale = rating?.type === 'rating' ? survey?.definition.scales[rating.scale] : undefined;
  const texts = replyTexts(lang, scale ? { min: scale.min, max: scale.max } : undefined);
  // Replies carry the signature of the campaign the number last heard from, else the tenant's.
  const campaign = invitation ? await deps.store.getCampaign(invitation.campaignId) : undefined;
  const signature = ((campaign?.definition as { sms?: { signature?: string } } | undefined)?.sms?.signature) ?? deps.config.sms.signature;
  const replies: string[] = [];
  const send = async (text: string) => {
    const body = withSignature(signature, text);
    await reply(deps, from, body, { body: message.body, at });
    replies.push(body);
  };

  switch (classified.kind) {
    case 'opt-out': {
      await logSmsEvent(deps, { kind: 'opt-out', phone: from, status: optOutChanged ? 'opted-out' : 'already' });
      if (optOutChanged) await send(texts.optOut);
      return { outcome: optOutChanged ? 'opted-out' : 'already-opted-out', replies };
    }
    case 'opt-in': {
      const changed = await deps.store.setOptOut('sms', from, false, at);
      await logSmsEvent(deps, { kind: 'opt-in', phone: from, status: changed ? 'opted-in' : 'already' });
      if (changed) await send(texts.optIn);
      return { outcome: changed ? 'opted-in' : 'already-opted-in', replies };
    }
    case 'digit': {
      if (!found || !rating || !scale || classified.value < scale.min || classified.value > scale.max) break;
      try {
        await answerInvitation(deps, await openedFrom(deps, found), { answers: { [rating.id]: classified.value }, lang, channel: 'sms' });
        if (!optedOut) await send(texts.thanks);
        return { outcome: 'answered', replies };
      } catch (error) {
        if (!(error instanceof DomainError) || (error.kind !== 'conflict' && error.kind !== 'gone')) throw error;
        if (!optedOut) await send(texts.alreadyRecorded);
        return { outcome: 'already-answered', replies };
      }
    }
    case 'other': {
      // Words back to an invitation that takes replies are feedback to answer (not "?" or "好的").
      if (!invitation || !isWrittenFeedback(message.body)) break;
      const { caseId, opened } = await openReplyCase(deps, invitation, { at, body: message.body, messageId: message.messageId });
      if (opened && !optedOut) await send(texts.received);
      return { outcome: 'case', caseId, replies };
    }
  }
  // No help to a number that opted out, and one help reply a day at most.
  if (!optedOut && (await deps.store.claimHelpReply(from, at.slice(0, 10)))) await send(texts.help);
  return { outcome: 'help', replies };
}
