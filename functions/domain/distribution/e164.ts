/**
 * A number that must already be E.164 (+ and 7-15 digits, ITU-T E.164), as AWS End User Messaging
 * gives the sender of an inbound SMS. No phone metadata: the inbound function reads no number
 * written by a person, so it does not carry libphonenumber-js, and an opt-out from any number the
 * platform ever wrote to (a contact imported before its region list was reduced, say) still counts.
 */
import type { PhoneResult } from './phone-result';

export function readE164(raw: string): PhoneResult {
  const text = raw.trim();
  return /^\+[1-9]\d{6,14}$/.test(text) ? { ok: true, e164: text } : { ok: false, reason: 'not an E.164 number' };
}
