/**
 * Inbound SMS: what a customer's reply means (unsubscribe, subscribe again, a rating digit, or
 * anything else) and the short texts sent back. Rules: docs/distribution-rules.md.
 */
import { hintLanguage } from './sms-text';

export type InboundKind = { kind: 'opt-out' } | { kind: 'opt-in' } | { kind: 'digit'; value: number } | { kind: 'other' };

/**
 * Replies that unsubscribe: T, TD, 退订 (Chinese carriers' convention) and STOP with the other
 * keywords carriers honour in English (STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, OPTOUT).
 */
export const OPT_OUT_KEYWORDS = ['T', 'TD', 'STOP', '退订', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', '取消订阅'] as const;
/** Replies that subscribe again. */
export const OPT_IN_KEYWORDS = ['START', 'UNSTOP', '订阅'] as const;
/** A reply digit is an integer in this range. */
export const REPLY_DIGIT_RANGE = { min: 0, max: 10 } as const;

const optOut = new Set<string>(OPT_OUT_KEYWORDS);
const optIn = new Set<string>(OPT_IN_KEYWORDS);

/** NFKC (full-width ＴＤ and ９ become TD and 9), trimmed, upper case, trailing full stops/exclamation marks dropped. */
export function normaliseInbound(body: string): string {
  return body
    .normalize('NFKC')
    .trim()
    .replace(/[.!。！]+$/u, '')
    .trim()
    .toUpperCase();
}

/**
 * What an inbound message means. Keywords match the whole message (any case, surrounding spaces,
 * full-width forms): `  td ` and `ＳＴＯＰ` unsubscribe, `STOP please` is other. A message that is
 * a single integer 0-10 (full-width digits too, optionally followed by 分 as in "9分") is a digit.
 */
export function classifyInbound(body: string): InboundKind {
  const text = normaliseInbound(body);
  if (optOut.has(text)) return { kind: 'opt-out' };
  if (optIn.has(text)) return { kind: 'opt-in' };
  const digit = /^(10|[0-9])\s*分?$/u.exec(text);
  if (digit) return { kind: 'digit', value: Number(digit[1]) };
  return { kind: 'other' };
}

/** Words that only acknowledge a message (upper case, as normaliseInbound gives them). */
const ACKNOWLEDGEMENT_WORDS = new Set(['OK', 'OKAY', 'OKK', 'THANKS', 'THANK', 'YOU', 'THX', 'TY', 'YES', 'NO', 'FINE', 'GOT', 'IT', 'RECEIVED', '好', '嗯', '行', '哦', '噢']);
/** Chinese acknowledgements, which a reply may run together without a space ("好的谢谢"). */
const ACKNOWLEDGEMENT_PHRASES = ['好的', '好滴', '谢谢', '多谢', '感谢', '收到', '知道了', '明白', '可以', '嗯嗯', '没问题', '了解', '您', '你'];

/** Whether one run of letters is only acknowledgement: a word of the list, or phrases of it run together. */
function acknowledges(segment: string): boolean {
  if (ACKNOWLEDGEMENT_WORDS.has(segment)) return true;
  let rest = segment;
  for (let changed = true; rest.length > 0 && changed; ) {
    changed = false;
    for (const phrase of ACKNOWLEDGEMENT_PHRASES) {
      if (rest.startsWith(phrase)) {
        rest = rest.slice(phrase.length);
        changed = true;
      }
    }
  }
  return rest.length === 0 && segment.length > 0;
}

/**
 * Whether a reply that is neither a keyword nor a digit is feedback someone should read (a
 * free-text complaint): two letters at least ("?" and "1a" are not), and not only
 * acknowledgements ("好的", "OK thanks", "好的，谢谢", "ok 👍"). A run of letters that holds
 * anything else ("不好", "not ok") is feedback.
 */
export function isWrittenFeedback(body: string): boolean {
  const text = normaliseInbound(body);
  if ((text.match(/\p{L}/gu) ?? []).length < 2) return false;
  // Runs of letters and digits; punctuation, spaces and emoji only separate them.
  const segments = text.match(/[\p{L}\p{N}]+/gu) ?? [];
  return !segments.every(acknowledges);
}

export interface ReplyTexts {
  /** Confirms an unsubscribe. */
  optOut: string;
  /** Confirms a subscription. */
  optIn: string;
  /** Thanks for a recorded rating. */
  thanks: string;
  /** The rating had been recorded before; the new reply changes nothing. */
  alreadyRecorded: string;
  /** Sent for a reply that is neither a keyword nor a valid digit. */
  help: string;
  /** Acknowledges words written back to an invitation (a case was opened for them). */
  received: string;
}

/**
 * The texts sent back to a customer's reply, in Chinese for a zh* language and English
 * otherwise. They carry no signature: the sender prefixes it (withSignature). `scale` is the range
 * the help text asks for (default 0-10).
 */
export function replyTexts(lang: string, scale: { min: number; max: number } = REPLY_DIGIT_RANGE): ReplyTexts {
  if (hintLanguage(lang) === 'zh') {
    return {
      optOut: '您已成功退订，今后不会再收到此类短信。如需恢复，请回复"订阅"。',
      optIn: '您已重新订阅，感谢您的关注。回T退订。',
      thanks: '感谢您的评价，您的评分已记录。',
      alreadyRecorded: '您的评分此前已记录，无需重复回复，感谢您的参与。',
      help: `请回复${scale.min}-${scale.max}之间的一个数字为本次服务评分（${scale.max}分为非常满意），回T退订。`,
      received: '您的意见我们已收到，会尽快与您联系。回T退订。',
    };
  }
  return {
    optOut: 'You have been unsubscribed and will receive no further messages. Reply START to subscribe again.',
    optIn: 'You are subscribed again. Reply STOP to opt out.',
    thanks: 'Thank you, your rating has been recorded.',
    alreadyRecorded: 'Your rating was already recorded. Thank you for taking part.',
    help: `Reply with a number from ${scale.min} to ${scale.max} to rate our service (${scale.max} = very satisfied). Reply T or STOP to opt out.`,
    received: 'Thank you, we have your message and will contact you soon. Reply STOP to opt out.',
  };
}
