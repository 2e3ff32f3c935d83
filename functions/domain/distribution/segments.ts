/**
 * Segments: which contacts a campaign addresses. A contact matches when it is in the segment's
 * org unit or below it, has the segment's grade (or one of its grades), and carries every listed
 * attribute with an equal value. An empty segment matches everyone.
 */
import * as z from '../zod';
import type { OrgTree } from '../org';
import type { AttributeValue, NormalisedContact } from './contacts';

const attributeValue = z.union([z.string(), z.number(), z.boolean()]);

export const segmentSchema = z.strictObject({
  /** The unit whose whole subtree is addressed. */
  orgUnitId: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: 'expected 1-64 letters, digits, "_", "." or "-"' }))),
  /** A grade, or several (any of them). */
  grade: z.optional(
    z.union([
      z.string().check(z.trim(), z.minLength(1), z.maxLength(32)),
      z.pipe(z.int(), z.transform(String)),
      z.array(z.union([z.string().check(z.trim(), z.minLength(1), z.maxLength(32)), z.pipe(z.int(), z.transform(String))])).check(z.minLength(1)),
    ]),
  ),
  attributes: z.optional(z.record(z.string().check(z.minLength(1), z.maxLength(64)), attributeValue)),
});

export type Segment = z.input<typeof segmentSchema>;

/** Attribute values compare by their text form, so a CSV-imported "true" or "3" equals true or 3. */
const sameValue = (a: AttributeValue | undefined, b: AttributeValue): boolean => a !== undefined && String(a) === String(b);

export function matchesSegment(contact: Pick<NormalisedContact, 'orgUnitId' | 'grade' | 'attributes'>, segment: Segment, tree: OrgTree): boolean {
  if (segment.orgUnitId !== undefined && !tree.isWithin(contact.orgUnitId, segment.orgUnitId)) return false;
  if (segment.grade !== undefined) {
    const grades = (Array.isArray(segment.grade) ? segment.grade : [segment.grade]).map((grade) => String(grade).trim());
    if (contact.grade === undefined || !grades.includes(contact.grade)) return false;
  }
  for (const [key, value] of Object.entries(segment.attributes ?? {})) {
    if (!sameValue(contact.attributes?.[key], value)) return false;
  }
  return true;
}
