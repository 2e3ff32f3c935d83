/**
 * SMS text: encoding and segment counting (GSM 03.38 / UCS-2), composition of an invitation from
 * a campaign's template (signature first, placeholders, unsubscribe hint), and the zod schema of a
 * campaign's `sms` block. Rules and examples: docs/distribution-rules.md.
 */
import * as z from '../zod';
import { languageTagSchema } from '../primitives';

// ---------------------------------------------------------------------------------------------
// Encoding and segments
// ---------------------------------------------------------------------------------------------

/** The GSM 03.38 default alphabet (one septet each), without the escape code itself. */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** The GSM 03.38 extension table: escape + code, two septets each. */
const GSM_EXTENSION = '\f^{}\\[~]|€';

const gsmBasic = new Set(Array.from(GSM_BASIC));
const gsmExtension = new Set(Array.from(GSM_EXTENSION));

export type SmsEncoding = 'GSM-7' | 'UCS-2';

/** Characters per segment: a single message, and each part of a concatenated one (the UDH takes the rest). */
export const SMS_SEGMENT_LIMITS = {
  'GSM-7': { single: 160, multipart: 153 },
  'UCS-2': { single: 70, multipart: 67 },
} as const;

/** GSM-7 when every character is in the GSM 03.38 basic set or its extension table, else UCS-2. */
export function smsEncoding(text: string): SmsEncoding {
  for (const char of text) if (!gsmBasic.has(char) && !gsmExtension.has(char)) return 'UCS-2';
  return 'GSM-7';
}

export interface SmsSegments {
  encoding: SmsEncoding;
  /** Septets (GSM-7: extension characters count 2) or UTF-16 code units (UCS-2: an emoji counts 2). */
  units: number;
  segments: number;
  /** Units per segment: 160/70 for a single message, 153/67 when split. */
  perSegment: number;
}

/**
 * How many segments `text` is sent as. A message that fits a single segment (160 septets / 70
 * code units) is one; a longer one is split into parts of 153 / 67, and a two-unit character (a
 * GSM extension character's escape pair, a UTF-16 surrogate pair) is never split across parts, so
 * a part may hold one unit less. Empty text is 0 segments.
 */
export function smsSegments(text: string): SmsSegments {
  const encoding = smsEncoding(text);
  const costs = Array.from(text, (char) => (encoding === 'GSM-7' ? (gsmExtension.has(char) ? 2 : 1) : char.length));
  const units = costs.reduce((sum, cost) => sum + cost, 0);
  const limits = SMS_SEGMENT_LIMITS[encoding];
  if (units === 0) return { encoding, units, segments: 0, perSegment: limits.single };
  if (units <= limits.single) return { encoding, units, segments: 1, perSegment: limits.single };
  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > limits.multipart) {
      segments += 1;
      used = 0;
    }
    used += cost;
  }
  return { encoding, units, segments, perSegment: limits.multipart };
}

/** What sending costs: segments (a count or an smsSegments result) x price x recipients, rounded to 1e-6. */
export function estimateCost(segments: number | Pick<SmsSegments, 'segments'>, pricePerSegment: number, recipients = 1): number {
  const count = typeof segments === 'number' ? segments : segments.segments;
  for (const [name, value] of [['segments', count], ['pricePerSegment', pricePerSegment], ['recipients', recipients]] as const) {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a non-negative number, not ${value}`);
  }
  return Math.round(count * pricePerSegment * recipients * 1e6) / 1e6;
}

// ---------------------------------------------------------------------------------------------
// Signature, placeholders, unsubscribe hint
// ---------------------------------------------------------------------------------------------

/** The placeholders a template may use. */
export const SMS_PLACEHOLDERS = ['name', 'link', 'unit'] as const;
export type SmsPlaceholder = (typeof SMS_PLACEHOLDERS)[number];
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Signature length inside the brackets (what Chinese carriers register: 2 to 20 characters). */
export const SIGNATURE_LENGTH = { min: 2, max: 20 } as const;

export type SignatureResult = { ok: true; signature: string } | { ok: false; reason: string };

/**
 * The signature as sent: `【示例银行】` stays as it is, `示例银行` gets the brackets added. Fails
 * for an empty signature, a lone or nested bracket, or an inner length outside 2-20 characters.
 */
export function normaliseSignature(raw: string): SignatureResult {
  const text = raw.trim();
  if (text === '') return { ok: false, reason: 'the signature must not be empty' };
  const bracketed = /^【([^【】]*)】$/.exec(text);
  if (!bracketed && /[【】]/.test(text)) return { ok: false, reason: 'write the signature as 示例银行 or 【示例银行】' };
  const inner = (bracketed ? (bracketed[1] ?? '') : text).trim();
  const length = Array.from(inner).length;
  if (length < SIGNATURE_LENGTH.min || length > SIGNATURE_LENGTH.max) {
    return { ok: false, reason: `the signature needs ${SIGNATURE_LENGTH.min}-${SIGNATURE_LENGTH.max} characters inside 【】, not ${length}` };
  }
  return { ok: true, signature: `【${inner}】` };
}

/** `text` with the signature in front (brackets added when missing); throws for an invalid signature. */
export function withSignature(signature: string, text: string): string {
  const result = normaliseSignature(signature);
  if (!result.ok) throw new RangeError(result.reason);
  return result.signature + text.trim();
}

/** The unsubscribe hints appended to marketing messages, by primary language. */
export const UNSUBSCRIBE_HINTS = { zh: ' 回T退订', en: ' Reply STOP to opt out' } as const;

/** Primary subtag "zh" reads Chinese, everything else English (for hints, greetings and replies). */
export const hintLanguage = (lang: string): 'zh' | 'en' => (lang.trim().toLowerCase().split('-')[0] === 'zh' ? 'zh' : 'en');

/** Placeholder names used in a template that are not {name}, {link} or {unit}. */
export function unknownPlaceholders(template: string): string[] {
  const unknown = new Set<string>();
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1] ?? '';
    if (!(SMS_PLACEHOLDERS as readonly string[]).includes(name)) unknown.add(name);
  }
  return [...unknown];
}

/** The template for `lang`: exact tag (any case), then same primary language, then `fallbackLang`, then the first. */
export function pickTemplate(template: Record<string, string>, lang: string, fallbackLang: string): { lang: string; text: string } {
  const entries = Object.entries(template);
  const wanted = lang.trim().toLowerCase();
  const primary = wanted.split('-')[0];
  const found =
    entries.find(([tag]) => tag.toLowerCase() === wanted) ??
    entries.find(([tag]) => tag.toLowerCase().split('-')[0] === primary) ??
    entries.find(([tag]) => tag.toLowerCase() === fallbackLang.trim().toLowerCase()) ??
    entries[0];
  if (!found) throw new RangeError('the SMS template has no text');
  return { lang: found[0], text: found[1] };
}

/** Words before {name} that need a noun when the name is missing: 尊敬的{name} -> 尊敬的客户, Dear {name} -> Dear customer. */
const HONORIFIC_BEFORE = /(尊敬的|亲爱的|\b[Dd]ear)(\s*)$/;
const NEUTRAL_NOUN = { zh: '客户', en: 'customer' } as const;
const TRAILING_SEPARATOR = /^\s*[,，、:：;；]?\s*/;

export interface SmsValues {
  name?: string | undefined;
  link?: string | undefined;
  unit?: string | undefined;
}

export interface ComposeSmsInput {
  signature: string;
  template: Record<string, string>;
  lang: string;
  fallbackLang: string;
  values: SmsValues;
  marketing: boolean;
}

/**
 * The invitation as sent: signature, template with placeholders filled, and for marketing
 * messages the unsubscribe hint of the message's language at the end.
 *
 * A missing (or blank) {name}: after an honorific (尊敬的 / 亲爱的 / Dear) the neutral noun
 * 客户 / customer takes its place; anywhere else the placeholder is removed with the space before
 * it, and at the very start of the text also with the separator after it:
 * `{name}您好，请…` -> `您好，请…`, `Hello {name}, please…` -> `Hello, please…`,
 * `尊敬的{name}，您好` -> `尊敬的客户，您好`. A missing {link} or {unit} in a template that uses
 * it throws (every unit has a name, every invitation a link), and so does an unknown placeholder
 * (smsConfigSchema rejects those up front).
 */
/** The longest name an SMS carries (a name is a greeting, not a message). */
const MAX_NAME_IN_SMS = 20;

/**
 * A contact's name (imported, so anybody's text) as an SMS may carry it: control characters and
 * line breaks become spaces, signature brackets (【】, which would fake a sender) are dropped, and a
 * name that holds a link or a phone-like run of digits, or is too long, is not used at all, so a
 * contact list cannot turn an invitation into someone else's message.
 */
export function nameForSms(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const cleaned = name.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/[【】〖〗\[\]]/g, '').replace(/\s+/g, ' ').trim();
  if (cleaned === '' || [...cleaned].length > MAX_NAME_IN_SMS) return undefined;
  if (/(:\/\/|www\.|\.(com|cn|net|org|top|xyz|io)\b)/i.test(cleaned) || /\d{5,}/.test(cleaned)) return undefined;
  return cleaned;
}

export function composeSms(input: ComposeSmsInput): string {
  const signature = normaliseSignature(input.signature);
  if (!signature.ok) throw new RangeError(signature.reason);
  const { lang, text: template } = pickTemplate(input.template, input.lang, input.fallbackLang);
  const language = hintLanguage(lang);
  const unknown = unknownPlaceholders(template);
  if (unknown.length > 0) throw new RangeError(`unknown placeholder ${unknown.map((n) => `{${n}}`).join(', ')}; use {name}, {link} or {unit}`);

  let body = '';
  let rest = template;
  // Walk placeholder by placeholder so tidying looks only at the text around each one.
  for (let match = new RegExp(PLACEHOLDER.source).exec(rest); match; match = new RegExp(PLACEHOLDER.source).exec(rest)) {
    const placeholder = match[1] as SmsPlaceholder;
    body += rest.slice(0, match.index);
    rest = rest.slice(match.index + match[0].length);
    const raw = input.values[placeholder];
    // Only {name} is a contact's own text; {link} and {unit} are the platform's and the organisation's.
    const value = (placeholder === 'name' ? nameForSms(raw) : raw)?.trim();
    if (value) {
      body += value;
      continue;
    }
    if (placeholder === 'link') throw new RangeError('the template uses {link} but no link was given');
    if (placeholder === 'unit') throw new RangeError('the template uses {unit} but no unit name was given');
    if (placeholder === 'name' && HONORIFIC_BEFORE.test(body)) {
      body = body.replace(HONORIFIC_BEFORE, (_all, word: string, space: string) => word + space) + NEUTRAL_NOUN[language];
      continue;
    }
    body = body.replace(/\s+$/, '');
    if (body.trim() === '') rest = rest.replace(TRAILING_SEPARATOR, '');
  }
  body = (body + rest).trim();
  if (input.marketing) {
    const hint = UNSUBSCRIBE_HINTS[language];
    if (!body.endsWith(hint.trim())) body += hint;
  }
  return signature.signature + body;
}

// ---------------------------------------------------------------------------------------------
// The campaign's sms block
// ---------------------------------------------------------------------------------------------

const languageTag = languageTagSchema;

/**
 * A campaign's `sms` block. `signature` comes out with its 【】; every template must be non-empty,
 * use only {name}, {link} and {unit}, and contain {link} unless `reply` (the customer answers by
 * replying a digit instead of opening a link). `marketing` (default true) appends the
 * unsubscribe hint.
 */
export const smsConfigSchema = z
  .strictObject({
    signature: z.pipe(
      z.string(),
      z.transform((raw, ctx) => {
        const result = normaliseSignature(raw);
        if (result.ok) return result.signature;
        ctx.issues.push({ code: 'custom', message: result.reason, input: raw });
        return z.NEVER;
      }),
    ),
    template: z
      .record(languageTag, z.string().check(z.trim(), z.minLength(1, { error: 'the template must not be empty' }), z.maxLength(1000)))
      .check(z.refine((template) => Object.keys(template).length > 0, { error: 'give a template in at least one language' })),
    marketing: z._default(z.boolean(), true),
    reply: z._default(z.boolean(), false),
    /** Messages per minute this campaign may send (the sender may cap it lower). */
    ratePerMinute: z.optional(z.int().check(z.positive(), z.lte(100_000))),
  })
  .check(z.superRefine((config, ctx) => {
    for (const [lang, text] of Object.entries(config.template)) {
      const unknown = unknownPlaceholders(text);
      if (unknown.length > 0) {
        ctx.addIssue({ code: 'custom', path: ['template', lang], message: `unknown placeholder ${unknown.map((n) => `{${n}}`).join(', ')}; use {name}, {link} or {unit}` });
      }
      if (!config.reply && !text.includes('{link}')) ctx.addIssue({ code: 'custom', path: ['template', lang], message: 'the template must contain {link} (or set reply: true)' });
    }
  }));

export type SmsConfig = z.output<typeof smsConfigSchema>;
export type SmsConfigInput = z.input<typeof smsConfigSchema>;
