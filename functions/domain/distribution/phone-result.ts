/** A phone number read into E.164, or why not (./phone.ts reads what people write, ./e164.ts what AWS gives). */
export type PhoneResult = { ok: true; e164: string } | { ok: false; reason: string };
