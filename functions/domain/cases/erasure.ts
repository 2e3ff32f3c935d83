/**
 * A case with a person erased from it (PIPL erasure, functions/app/privacy.ts): its typed-in
 * contact dropped, and the person's number, address and name replaced in every free text it
 * keeps (the customer's SMS replies, staff's notes and the resolution). Its figures, states and
 * timers stay: the case still counts in the reports, about nobody.
 */
import { redactText } from '../privacy/redact';
import type { CaseRecord } from './case';

export function erasedCase(c: CaseRecord, pattern: RegExp | undefined, erasedAt: string): { record: CaseRecord; changed: boolean } {
  const { contact: _contact, ...rest } = c;
  const next: CaseRecord = {
    ...rest,
    ...(c.replies ? { replies: c.replies.map((reply) => ({ ...reply, text: redactText(reply.text, pattern) })) } : {}),
    ...(c.resolution !== undefined ? { resolution: redactText(c.resolution, pattern) } : {}),
    timeline: c.timeline.map((entry) => (entry.note === undefined ? entry : { ...entry, note: redactText(entry.note, pattern) })),
  };
  const changed =
    c.contact !== undefined ||
    (c.replies ?? []).some((reply, i) => reply.text !== next.replies![i]!.text) ||
    c.resolution !== next.resolution ||
    c.timeline.some((entry, i) => entry.note !== next.timeline[i]!.note);
  return { record: changed ? { ...next, version: c.version + 1, erasedAt } : c, changed };
}
