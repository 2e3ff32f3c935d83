/**
 * Campaign timing: cron schedules in a time zone (cron-parser), return-visit schedules (回访:
 * monthly in the first year after delivery, quarterly after that) and event triggers (a survey a
 * delay after a repair is closed). Calendar arithmetic is luxon's, in the given zone. Rules and
 * examples: docs/distribution-rules.md.
 */
import { CronExpressionParser } from 'cron-parser';
import { DateTime, type Duration } from 'luxon';
import * as z from '../zod';
import { invalid } from '../errors';
import { DEFAULT_TIME_ZONE, durationOrUndefined, isoDurationSchema, parseDuration, positiveIsoDurationSchema, scaleDuration, toInstant, zoned, type InstantInput } from './time';

export { isoDurationSchema, positiveIsoDurationSchema } from './time';

// ---------------------------------------------------------------------------------------------
// Cron
// ---------------------------------------------------------------------------------------------

/** Aliases accepted besides five-field expressions (minute precision: no @secondly, no seconds field). */
export const CRON_ALIASES = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@hourly', '@weekdays', '@weekends'] as const;

/** Why `expression` is not a usable cron expression, or undefined when it is. */
export function cronProblem(expression: string): string | undefined {
  const text = expression.trim();
  if (text.startsWith('@')) {
    return (CRON_ALIASES as readonly string[]).includes(text.toLowerCase()) ? undefined : `unknown alias ${text}; use ${CRON_ALIASES.join(', ')}`;
  }
  const fields = text.split(/\s+/).filter(Boolean).length;
  if (fields !== 5) return `expected 5 fields (minute hour day-of-month month day-of-week), got ${fields}`;
  try {
    CronExpressionParser.parse(text, { tz: 'UTC' });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** A five-field cron expression (minute hour day-of-month month day-of-week) or an alias such as @daily. */
export const cronExpressionSchema = z.string().check(z.superRefine((expression, ctx) => {
  const problem = cronProblem(expression);
  if (problem) ctx.addIssue({ code: 'custom', message: `invalid cron expression: ${problem}` });
}));

/** The first run strictly after `after`, the expression read as wall-clock time in `timeZone`. */
export function nextCronRun(expression: string, timeZone: string, after: Date): Date {
  const problem = cronProblem(expression);
  if (problem) throw new RangeError(`invalid cron expression "${expression}": ${problem}`);
  zoned(after, timeZone); // rejects an unknown zone with a clear message
  return CronExpressionParser.parse(expression.trim().toLowerCase().startsWith('@') ? expression.trim().toLowerCase() : expression.trim(), { tz: timeZone, currentDate: after })
    .next()
    .toDate();
}

/** Every run in (from, to], oldest first, at most `limit` (a scheduler catching up after downtime). */
export function cronRuns(expression: string, timeZone: string, from: Date, to: Date, limit = 1000): Date[] {
  const runs: Date[] = [];
  for (let run = nextCronRun(expression, timeZone, from); run.getTime() <= to.getTime() && runs.length < limit; run = nextCronRun(expression, timeZone, run)) {
    runs.push(run);
  }
  return runs;
}

// ---------------------------------------------------------------------------------------------
// Return visits
// ---------------------------------------------------------------------------------------------

/** A fixed reference instant for comparing calendar durations (P12M and P1Y are equal from it). */
const REFERENCE = DateTime.fromISO('2001-01-01T00:00:00', { zone: 'UTC' });

const returnVisitRuleSchema = z.strictObject({
  /** The interval, at least one day (P1M, P3M, P1Y, P2W...). */
  every: positiveIsoDurationSchema.check(z.refine((text) => REFERENCE.plus(durationOrUndefined(text) ?? {}) >= REFERENCE.plus({ days: 1 }), { error: 'return visits are at least one day apart' })),
  /** Where this rule ends, measured from the anchor (P1Y: one year after delivery); only the last rule may omit it. */
  until: z.optional(positiveIsoDurationSchema),
});

/**
 * `{ anchor: 'deliveredAt', rules: [{ every: 'P1M', until: 'P1Y' }, { every: 'P3M' }] }`. `anchor`
 * names the field holding the anchor instant (the delivery, the policy sale). Rules apply in
 * order: each runs from where the previous ended (the first from the anchor) up to and including
 * anchor + its `until`; the last may be open-ended. `until`s must increase.
 */
export const returnVisitScheduleSchema = z
  .strictObject({
    anchor: z._default(z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, { error: 'expected a field name such as deliveredAt' })), 'deliveredAt'),
    rules: z.array(returnVisitRuleSchema).check(z.minLength(1, { error: 'give at least one rule' }), z.maxLength(20)),
  })
  .check(z.superRefine((schedule, ctx) => {
    let previousEnd = REFERENCE;
    schedule.rules.forEach((rule, i) => {
      if (rule.until === undefined) {
        if (i < schedule.rules.length - 1) ctx.addIssue({ code: 'custom', path: ['rules', i, 'until'], message: 'only the last rule may be open-ended' });
        return;
      }
      const until = durationOrUndefined(rule.until);
      if (!until) return; // reported by the rule's own schema
      const end = REFERENCE.plus(until);
      if (end <= previousEnd) ctx.addIssue({ code: 'custom', path: ['rules', i, 'until'], message: `${rule.until} does not end after the previous rule` });
      previousEnd = end;
    });
  }));

export type ReturnVisitSchedule = z.output<typeof returnVisitScheduleSchema>;
export type ReturnVisitScheduleInput = z.input<typeof returnVisitScheduleSchema>;

interface Phase {
  /** Offset of the phase start from the anchor (zero for the first). */
  offset: Duration | undefined;
  every: Duration;
  /** Absolute end (inclusive), undefined when open-ended. */
  end: DateTime | undefined;
}

function phasesOf(anchor: DateTime, schedule: Pick<ReturnVisitSchedule, 'rules'>): Phase[] {
  let offset: Duration | undefined;
  return schedule.rules.map((rule) => {
    const until = rule.until === undefined ? undefined : parseDuration(rule.until);
    const phase: Phase = { offset, every: parseDuration(rule.every), end: until ? anchor.plus(until) : undefined };
    offset = until;
    return phase;
  });
}

/** The k-th visit of a phase: anchor + (offset + k x every) in one step, so a month-end anchor does not drift. */
function visit(anchor: DateTime, phase: Phase, k: number): DateTime {
  const step = scaleDuration(phase.every, k);
  return anchor.plus(phase.offset ? phase.offset.plus(step) : step);
}

/** Visits of one phase after `after` (exclusive), lazily, oldest first. */
function* phaseVisitsAfter(anchor: DateTime, phase: Phase, after: DateTime): Generator<DateTime> {
  const start = phase.offset ? anchor.plus(phase.offset) : anchor;
  const approxMs = Math.max(1, phase.every.toMillis());
  let k = Math.max(1, Math.floor((after.toMillis() - start.toMillis()) / approxMs) - 1);
  while (k > 1 && visit(anchor, phase, k - 1) > after) k -= 1;
  while (visit(anchor, phase, k) <= after) k += 1;
  for (; ; k += 1) {
    const at = visit(anchor, phase, k);
    if (phase.end && at > phase.end) return;
    if (at > anchor) yield at;
  }
}

function* visitsAfter(anchor: DateTime, schedule: Pick<ReturnVisitSchedule, 'rules'>, after: DateTime): Generator<DateTime> {
  for (const phase of phasesOf(anchor, schedule)) {
    if (phase.end && phase.end <= after) continue;
    yield* phaseVisitsAfter(anchor, phase, after);
  }
}

/**
 * Return visits in (from, to], oldest first, never the anchor itself. The k-th visit of a rule is
 * anchor + (previous rule's until + k x every), computed in `timeZone` in one luxon step: calendar
 * months clamp to the month's last day without drifting (anchor 2026-01-31: 02-28, 03-31,
 * 04-30...), and the local time of day is kept across DST changes.
 */
export function returnVisitOccurrences(anchor: InstantInput, schedule: Pick<ReturnVisitSchedule, 'rules'>, from: Date, to: Date, timeZone: string = DEFAULT_TIME_ZONE): Date[] {
  const start = zoned(anchor, timeZone);
  const after = zoned(from, timeZone);
  const result: Date[] = [];
  for (const at of visitsAfter(start, schedule, after)) {
    if (at.toMillis() > to.getTime()) break;
    result.push(at.toJSDate());
  }
  return result;
}

/** The first return visit strictly after `after`, or undefined when the schedule has ended. */
export function nextReturnVisit(anchor: InstantInput, schedule: Pick<ReturnVisitSchedule, 'rules'>, after: Date, timeZone: string = DEFAULT_TIME_ZONE): Date | undefined {
  const next = visitsAfter(zoned(anchor, timeZone), schedule, zoned(after, timeZone)).next();
  return next.done ? undefined : next.value.toJSDate();
}

// ---------------------------------------------------------------------------------------------
// Event triggers
// ---------------------------------------------------------------------------------------------

/** A survey `delay` after a service event of `eventType`, counted from its closedAt or occurredAt. */
export const triggerSchema = z.strictObject({
  eventType: z.string().check(z.regex(/^[A-Za-z0-9_.:-]{1,64}$/, { error: 'expected 1-64 letters, digits, "_", ".", ":" or "-"' })),
  delay: isoDurationSchema,
  at: z.optional(z.enum(['closedAt', 'occurredAt'])),
});

export type Trigger = z.output<typeof triggerSchema>;

export interface ServiceEventTimes {
  occurredAt: InstantInput;
  closedAt?: InstantInput | null | undefined;
}

/**
 * When the survey for `event` is due: its closedAt (or occurredAt) + the trigger's delay, in
 * `timeZone` (hours exact, days and months calendar). Without `at`, closedAt when the event has
 * one, else occurredAt. A trigger that names closedAt for an event without one is a validation
 * error (the event is not closed yet; post it again when it is).
 */
export function triggerDueAt(event: ServiceEventTimes, trigger: Pick<Trigger, 'delay' | 'at'>, timeZone: string = DEFAULT_TIME_ZONE): Date {
  const field = trigger.at ?? (event.closedAt ? 'closedAt' : 'occurredAt');
  const from = field === 'closedAt' ? event.closedAt : event.occurredAt;
  if (!from) throw invalid([{ path: field, message: `the trigger counts from ${field}, which the event does not have` }]);
  return zoned(toInstant(from), timeZone).plus(parseDuration(trigger.delay)).toJSDate();
}
