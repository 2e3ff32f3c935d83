/**
 * Service commitments (服务承诺) and the service events they are checked on. A tenant declares its
 * commitments once (surveys/commitments/*.yaml holding `commitments: [...]`, or
 * POST /admin/commitments with the same structure as JSON); zod is the single source of truth.
 *
 *   { id: gas.repair.handle, eventType: repair, from: reportedAt, to: handledAt, target: PT6H }
 *   { id: insurance.complaint.reply, eventType: complaint, from: receivedAt, to: repliedAt,
 *     target: { workingDays: 5 }, calendar: cn }
 */
import * as z from '../zod';
import { isTimeZone, languageTagSchema, MAX_ID_LENGTH } from '../primitives';
import { problemsFromZod, type Problem } from '../errors';
import { DEFAULT_TIME_ZONE } from '../time-zone';
import { CALENDARS } from './calendar';
import { calendarSettingsSchema, type CalendarSettings } from './calendar-settings';
import { isoDurationSchema } from './duration';

/** The same pattern a rating question's `commitment:` reference uses (questionnaire/schema.ts). */
export const COMMITMENT_ID_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;
const fieldName = z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9_]*$/, { error: 'expected a field name such as reportedAt' }));
const languageTag = languageTagSchema;

export const workingDaysTargetSchema = z.strictObject({
  workingDays: z.int({ error: 'expected a whole number of working days' }).check(z.positive({ error: 'expected at least 1 working day' }), z.lte(366)),
});

export const commitmentSchema = z
  .strictObject({
    id: z.string().check(z.regex(COMMITMENT_ID_PATTERN, { error: 'expected a commitment id such as gas.repair.handle' }), z.maxLength(MAX_ID_LENGTH)),
    title: z.optional(z.record(languageTag, z.string().check(z.trim(), z.minLength(1)))),
    /** Which service events the commitment is checked on (the events' `type`). */
    eventType: z.string().check(z.regex(/^[a-z0-9][a-z0-9._-]*$/, { error: 'expected an event type such as repair' })),
    /** The timestamp fields of those events that start and end the promised interval. */
    from: fieldName,
    to: fieldName,
    /** An exact duration (ISO 8601: PT6H, P2D) or a number of working days on `calendar`. */
    target: z.union([isoDurationSchema, workingDaysTargetSchema], { error: 'expected an ISO 8601 duration such as PT6H, or { workingDays: N }' }),
    calendar: z.optional(z.string()),
    /**
     * The questionnaires (service lines) the commitment belongs to: their reports show it, as do
     * the reports of questionnaires whose questions name it (and no other report).
     */
    surveys: z.optional(z.array(z.string().check(z.regex(/^[a-z0-9-]+$/, { error: 'expected a questionnaire id' }), z.maxLength(MAX_ID_LENGTH))).check(z.maxLength(100))),
    /** Whose wall clock decides "the day of from" and 23:59:59 (default Asia/Shanghai). */
    timeZone: z._default(z.string().check(z.refine(isTimeZone, { error: 'unknown IANA time zone' })), DEFAULT_TIME_ZONE),
  })
  .check(z.superRefine((commitment, ctx) => {
    if (commitment.from === commitment.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'from and to name the same field' });
    const byWorkingDays = typeof commitment.target === 'object';
    if (byWorkingDays && commitment.calendar === undefined) {
      ctx.addIssue({ code: 'custom', path: ['calendar'], message: `a working-day target names its calendar (${Object.keys(CALENDARS).join(', ')})` });
    }
    if (commitment.calendar !== undefined && !(commitment.calendar in CALENDARS)) {
      ctx.addIssue({ code: 'custom', path: ['calendar'], message: `unknown calendar "${commitment.calendar}" (known: ${Object.keys(CALENDARS).join(', ')})` });
    }
    if (!byWorkingDays && commitment.calendar !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['calendar'], message: 'a duration target is exact elapsed time; a calendar applies to working-day targets only' });
    }
  }));

export type Commitment = z.output<typeof commitmentSchema>;
export type CommitmentInput = z.input<typeof commitmentSchema>;

/**
 * The YAML file / POST /admin/commitments body: `{ commitments: [...], calendars?: {...} }`, ids
 * unique; `calendars` holds the organisation's settings per published calendar
 * (calendar-settings.ts), and a document may hold only those.
 */
export const commitmentsDocumentSchema = z
  .strictObject({
    commitments: z._default(z.array(commitmentSchema), []),
    calendars: z.optional(z.record(z.string(), calendarSettingsSchema)),
  })
  .check(z.superRefine((document, ctx) => {
    if (document.commitments.length === 0 && document.calendars === undefined) ctx.addIssue({ code: 'custom', path: ['commitments'], message: 'declare at least one commitment' });
    const seen = new Set<string>();
    document.commitments.forEach((commitment, i) => {
      if (seen.has(commitment.id)) ctx.addIssue({ code: 'custom', path: ['commitments', i, 'id'], message: `duplicate commitment id "${commitment.id}"` });
      seen.add(commitment.id);
    });
    for (const id of Object.keys(document.calendars ?? {})) {
      if (!(id in CALENDARS)) ctx.addIssue({ code: 'custom', path: ['calendars', id], message: `unknown calendar "${id}" (known: ${Object.keys(CALENDARS).join(', ')})` });
    }
  }));

export type CommitmentsValidation =
  | { ok: true; commitments: Commitment[]; calendars: Record<string, CalendarSettings> }
  | { ok: false; errors: Problem[] };

/** Parses and checks untrusted input (YAML-parsed or JSON). */
export function validateCommitments(input: unknown): CommitmentsValidation {
  const parsed = commitmentsDocumentSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: problemsFromZod(parsed.error.issues) };
  return { ok: true, commitments: parsed.data.commitments, calendars: parsed.data.calendars ?? {} };
}

/**
 * ISO 8601 date and time with an offset (Z, +08:00 or +0800), seconds and fraction optional; a
 * space may stand for the T (as database exports write it). Without an offset a time is ambiguous,
 * so it is refused.
 */
const TIMESTAMP_PATTERN = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})$/;

/** The instant of a timestamp, or null when it is not ISO 8601 with an offset. */
export function parseTimestamp(text: string): Date | null {
  const match = TIMESTAMP_PATTERN.exec(text.trim());
  if (!match) return null;
  const [, date, time, zone = 'Z'] = match;
  const offset = zone === 'Z' ? zone : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const ms = Date.parse(`${date}T${time}${offset}`);
  return Number.isNaN(ms) ? null : new Date(ms);
}

const timestampSchema = z.string().check(z.refine((text) => parseTimestamp(text) !== null, { error: 'expected an ISO 8601 date and time with an offset, such as 2026-02-13T09:30:00+08:00' }));

/** A service event: a repair order, a complaint, a policy... with the timestamps commitments name. */
export const serviceEventSchema = z.strictObject({
  eventId: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  type: z.string().check(z.regex(/^[a-z0-9][a-z0-9._-]*$/, { error: 'expected an event type such as repair' })),
  orgUnitId: z.string().check(z.trim(), z.minLength(1)),
  /** Timestamp fields; null (or absent) = not happened yet. */
  timestamps: z.record(fieldName, z.nullable(timestampSchema)),
});

export type ServiceEvent = z.output<typeof serviceEventSchema>;
