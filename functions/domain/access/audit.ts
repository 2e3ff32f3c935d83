/**
 * The audit trail: one immutable record per write through an admin route. It names who, when,
 * what and on which ids and unit, and how it ended; of the request body it keeps a digest only,
 * taken after the personal fields are blanked, so the record holds no personal data and the
 * digest cannot be reversed by trying every phone number.
 */
import * as z from '../zod';

export interface AuditRecord {
  auditId: string;
  at: string;
  /** The caller's user id ("break-glass" for the local admin token). */
  userId: string;
  role: string;
  /** The route key, e.g. "POST /admin/campaigns". */
  action: string;
  /** Ids the request named or created (path parameters, ids in the answer). */
  targetIds: string[];
  /** The unit the write concerned, when it names one; else the caller's first scope unit. */
  orgUnit?: string;
  /** The HTTP status of the answer. */
  status: number;
  outcome: 'succeeded' | 'refused' | 'failed';
  /** sha256 (hex) of the body with personal fields blanked, or absent for an empty body. */
  bodyDigest?: string;
  requestId: string;
}

/** Field names whose values are personal data (or secrets) and never enter the digest. */
const PERSONAL_FIELD = /^(phone|mobile|tel|name|displayName|email|e-?mail|password|newPassword|temporaryPassword|address|contact|to|from|text|comment)$/i;

/** The body with every personal field's value replaced, keys kept (their presence is not personal). */
export function withoutPersonalData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPersonalData);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, inner]) => [key, PERSONAL_FIELD.test(key) ? '(personal)' : withoutPersonalData(inner)]));
  }
  return value;
}

export const auditQuerySchema = z.strictObject({
  from: z.optional(z.iso.date()),
  to: z.optional(z.iso.date()),
  userId: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  orgUnit: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

/** The longest span one query reads (a day is one partition). */
export const MAX_AUDIT_QUERY_DAYS = 400;
