/**
 * Erasing a person from what respondents wrote: free-text answers keep their words but lose the
 * person's phone number (however it was written: +86 138 0000 0500, 138-0000-0500, 13800000500),
 * e-mail address and name. Numbers, choices and scales are untouched, so indices do not move.
 */
import type { Answers } from '../scoring';

/** What replaces an erased identifier in a text. */
export const ERASED_MARK = '[erased]';

export interface PersonIdentifiers {
  /** E.164 numbers (+8613800000500). */
  phones: readonly string[];
  emails: readonly string[];
  names: readonly string[];
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A pattern for one E.164 number as people write it: with or without its calling code (+86, 0086,
 * 86) and the trunk 0, digits separated by spaces, hyphens or dots, never inside a longer number.
 * The calling code is the shortest prefix that leaves a national number of 6 or more digits for
 * the calling codes in use (1 to 3 digits); every candidate split is tried.
 */
function phonePattern(e164: string): string {
  const digits = e164.replace(/\D/g, '');
  const spaced = (part: string) => [...part].map(escape).join('[\\s.\\-]?');
  const alternatives = [1, 2, 3]
    .filter((length) => digits.length - length >= 6)
    .map((length) => {
      const code = digits.slice(0, length);
      const national = digits.slice(length);
      return `(?:(?:\\+|00)?${code}[\\s.\\-]?)?(?:0[\\s.\\-]?)?${spaced(national)}`;
    });
  return `(?<!\\d)(?:${alternatives.join('|')})(?!\\d)`;
}

/** One expression for everything to erase; undefined when there is nothing to look for. */
export function erasurePattern(person: PersonIdentifiers): RegExp | undefined {
  const parts = [
    ...person.phones.filter((phone) => /\d{6,}/.test(phone.replace(/\D/g, ''))).map(phonePattern),
    ...person.emails.filter(Boolean).map(escape),
    // A one-character name would erase that character everywhere: names of two or more only.
    ...person.names.map((name) => name.trim()).filter((name) => Array.from(name).length >= 2).map(escape),
  ];
  return parts.length === 0 ? undefined : new RegExp(parts.join('|'), 'giu');
}

export function redactText(text: string, pattern: RegExp | undefined): string {
  return pattern ? text.replace(pattern, ERASED_MARK) : text;
}

/** The answers with every text value redacted, and whether any changed. */
export function redactAnswers(answers: Answers, pattern: RegExp | undefined): { answers: Answers; changed: boolean } {
  let changed = false;
  const redacted: Answers = {};
  for (const [question, value] of Object.entries(answers)) {
    if (typeof value === 'string') {
      const text = redactText(value, pattern);
      if (text !== value) changed = true;
      redacted[question] = text;
    } else if (Array.isArray(value)) {
      // Choices are option ids, not free text; an "other" text would be a string of the list.
      const list = value.map((item) => redactText(item, pattern));
      if (list.some((item, i) => item !== value[i])) changed = true;
      redacted[question] = list;
    } else {
      redacted[question] = value;
    }
  }
  return { answers: redacted, changed };
}

/** What stands for an identifier in a text shown to a caller who may not see personal data. */
export const HIDDEN_MARK = '[hidden]';

/** A number of 7 or more digits however it is written (+86 138-0000-0500), never part of a longer word. */
const ANY_PHONE = /(?<![\p{L}\p{N}])\+?\d(?:[\s.\-]?\d){6,}(?![\p{L}\p{N}])/gu;
const ANY_EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;

/**
 * Staff's free text (a case's notes and resolution) for a caller without personal data: the case's
 * own person is hidden by name, phone and e-mail, and any other phone number or address too.
 */
export function hideIdentifiers(text: string, person?: PersonIdentifiers): string {
  const own = person ? erasurePattern(person) : undefined;
  return (own ? text.replace(own, HIDDEN_MARK) : text).replace(ANY_EMAIL, HIDDEN_MARK).replace(ANY_PHONE, HIDDEN_MARK);
}
