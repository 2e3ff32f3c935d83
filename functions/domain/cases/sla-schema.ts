/**
 * How a case's deadlines are declared (an alert rule's `sla`, a manual case's): the targets for
 * first contact and for resolution, and whether they count working time on the organisation's
 * working-day calendar or elapsed time. The computation is in ./sla.ts.
 *
 *   sla: { firstContact: P1D, resolve: P5D, calendar: working-days }
 *   sla: { firstContact: { workingDays: 1, by: "17:00" }, resolve: PT48H, calendar: calendar-days }
 *
 * A target is an ISO 8601 duration (PnDTnHnM: with `working-days`, a day is one working day of
 * working time and hours and minutes are working time; with `calendar-days`, elapsed time) or
 * `{ workingDays: N, by: "HH:MM" }`: that local time on the Nth working day after the day the case
 * opened ("by 17:00 the next working day"), on the working-day calendar whatever `calendar` says.
 */
import * as z from '../zod';
import { durationProblem, parseDurationMs } from '../commitments/duration';

/** HH:MM, 00:00 to 23:59. */
export const localTimeSchema = z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'expected a local time HH:MM' }));

/** The longest target, delay or escalation a case takes: a year (a deadline must stay within the calendar's data). */
export const MAX_CASE_DURATION_DAYS = 365;

const tooLong = (text: string) => parseDurationMs(text) > MAX_CASE_DURATION_DAYS * 86_400_000;

/** An ISO duration of days, hours and minutes only (weeks, months and years have no working-time length), at most a year. */
export const workingDurationSchema = z.string().check(
  z.superRefine((text, ctx) => {
    const problem = durationProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
    else if (/W/.test(text)) ctx.addIssue({ code: 'custom', message: `"${text}": give days (P5D) rather than weeks, whose number of working days varies` });
    else if (parseDurationMs(text) === 0) ctx.addIssue({ code: 'custom', message: `"${text}" is no time at all` });
    else if (tooLong(text)) ctx.addIssue({ code: 'custom', message: `"${text}" is longer than ${MAX_CASE_DURATION_DAYS} days` });
  }),
);

/** An exact ISO duration of elapsed time (weeks allowed), at most a year. */
export const elapsedDurationSchema = z.string().check(
  z.superRefine((text, ctx) => {
    const problem = durationProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
    else if (tooLong(text)) ctx.addIssue({ code: 'custom', message: `"${text}" is longer than ${MAX_CASE_DURATION_DAYS} days` });
  }),
);

export const slaTargetSchema = z.union([
  workingDurationSchema,
  z.strictObject({ workingDays: z.int().check(z.gte(1), z.lte(365)), by: localTimeSchema }),
]);
export type SlaTarget = z.output<typeof slaTargetSchema>;

export const SLA_CALENDARS = ['working-days', 'calendar-days'] as const;
export type SlaCalendar = (typeof SLA_CALENDARS)[number];

export const slaSchema = z.strictObject({
  firstContact: z.optional(slaTargetSchema),
  resolve: z.optional(slaTargetSchema),
  calendar: z._default(z.enum(SLA_CALENDARS, { error: 'expected working-days or calendar-days' }), 'working-days'),
});
export type Sla = z.output<typeof slaSchema>;

/** When an organisation works (configurable per organisation): 09:00-17:30 by default. */
export const workingHoursSchema = z
  .strictObject({ start: localTimeSchema, end: localTimeSchema })
  .check(z.refine((hours) => hours.start < hours.end, { error: 'the working day must end after it starts', path: ['end'] }));
export type WorkingHours = z.output<typeof workingHoursSchema>;

export const DEFAULT_WORKING_HOURS: WorkingHours = { start: '09:00', end: '17:30' };
