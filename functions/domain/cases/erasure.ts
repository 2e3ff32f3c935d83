/**
 * A case with personal data taken out of it: a person's erasure (PIPL, functions/app/privacy.ts)
 * replaces their number, address and name in its free text; the retention purge replaces the
 * whole of its free text once its time has passed. Either way the typed-in contact goes, and the
 * figures, states, timers and timeline entries stay: the case still counts in the reports.
 */
import { redactText } from '../privacy/redact';
import type { CaseRecord } from './case';

/** The case with every free text it keeps (the customer's SMS replies, staff's notes, the resolution) passed through `replace`, and no typed-in contact. */
function withTextReplaced(c: CaseRecord, replace: (text: string) => string, stamp: Partial<Pick<CaseRecord, 'erasedAt' | 'textExpiredAt'>>): { record: CaseRecord; changed: boolean } {
  const { contact: _contact, ...rest } = c;
  const replies = c.replies?.map((reply) => ({ ...reply, text: replace(reply.text) }));
  const resolution = c.resolution === undefined ? undefined : replace(c.resolution);
  const timeline = c.timeline.map((entry) => (entry.note === undefined ? entry : { ...entry, note: replace(entry.note) }));
  const changed =
    c.contact !== undefined ||
    (c.replies ?? []).some((reply, i) => reply.text !== replies![i]!.text) ||
    c.resolution !== resolution ||
    c.timeline.some((entry, i) => entry.note !== timeline[i]!.note);
  if (!changed) return { record: c, changed };
  return { record: { ...rest, ...(replies ? { replies } : {}), ...(resolution !== undefined ? { resolution } : {}), timeline, ...stamp, version: c.version + 1 }, changed };
}

/** A person erased from the case: their number, address and name (`pattern`) in its free text read [erased]. */
export const erasedCase = (c: CaseRecord, pattern: RegExp | undefined, erasedAt: string) => withTextReplaced(c, (text) => redactText(text, pattern), { erasedAt });

/** The case's free text past its retention: all of it reads `mark`. */
export const expiredCase = (c: CaseRecord, mark: string, expiredAt: string) => withTextReplaced(c, () => mark, { textExpiredAt: expiredAt });
