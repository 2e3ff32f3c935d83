/**
 * Campaign timing: cron schedules in a time zone (./cron.ts), return-visit schedules (回访:
 * monthly in the first year after delivery, quarterly after that) and event triggers (a survey a
 * delay after a repair is closed). Calendar arithmetic is ./time.ts's, in the given zone. Rules and
 * examples: docs/distribution-rules.md.
 */
import * as z from '../zod';
import { invalid } from '../errors';
import { parseCron, wallClockMatchesAfter, type CronPattern } from './cron';
import { addDurations, approximateMs, DEFAULT_TIME_ZONE, durationOrUndefined, isoDurationSchema, parseDuration, positiveIsoDurationSchema, scaleDuration, toInstant, zoned, ZonedTime, type Duration, type InstantInput } from './time';

export { isoDurationSchema, positiveIsoDurationSchema } from './time';

// ---------------------------------------------------------------------------------------------
// Cron
// ---------------------------------------------------------------------------------------------

/** Aliases accepted besides five-field expressions (minute precision: no @secondly, no seconds field). */
export const CRON_ALIASES = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@hourly', '@weekdays', '@weekends'] as const;

/** The five fields each alias stands for (all at midnight, @hourly on the hour). */
const ALIAS_FIELDS: Record<(typeof CRON_ALIASES)[number], string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@hourly': '0 * * * *',
  '@weekdays': '0 0 * * 1-5',
  '@weekends': '0 0 * * 0,6',
};

/** The pattern of `expression` (an alias expanded), or why it is not a usable cron expression. */
function cronPattern(expression: string): { pattern: CronPattern } | { problem: string } {
  const text = expression.trim();
  const fields = text.startsWith('@') ? ALIAS_FIELDS[text.toLowerCase() as (typeof CRON_ALIASES)[number]] : text;
  if (!fields) return { problem: `unknown alias ${text}; use ${CRON_ALIASES.join(', ')}` };
  try {
    return { pattern: parseCron(fields) };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}

/** Why `expression` is not a usable cron expression, or undefined when it is. */
export function cronProblem(expression: string): string | undefined {
  const parsed = cronPattern(expression);
  return 'problem' in parsed ? parsed.problem : undefined;
}

/** A five-field cron expression (minute hour day-of-month month day-of-week) or an alias such as @daily. */
export const cronExpressionSchema = z.string().check(z.superRefine((expression, ctx) => {
  const problem = cronProblem(expression);
  if (problem) ctx.addIssue({ code: 'custom', message: `invalid cron expression: ${problem}` });
}));

/**
 * The first run strictly after `after`, the expression read as wall-clock time in `timeZone`. A
 * wall-clock time skipped by a DST jump runs the length of the jump later (02:30 on the night New
 * York springs forward runs at 03:30); a time that occurs twice runs once, at its first occurrence.
 */
export function nextCronRun(expression: string, timeZone: string, after: Date): Date {
  const parsed = cronPattern(expression);
  if ('problem' in parsed) throw new RangeError(`invalid cron expression "${expression}": ${parsed.problem}`);
  const start = zoned(after, timeZone); // rejects an unknown zone with a clear message
  for (const wall of wallClockMatchesAfter(parsed.pattern, start.wall)) {
    const run = ZonedTime.occurrences(wall, timeZone).find((occurrence) => occurrence.ms > after.getTime());
    if (run) return run.toDate();
  }
  throw new RangeError(`cron expression "${expression}" has no run after ${after.toISOString()}`);
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
const REFERENCE = ZonedTime.of(new Date(Date.UTC(2001, 0, 1)), 'UTC');

const returnVisitRuleSchema = z.strictObject({
  /** The interval, at least one day (P1M, P3M, P1Y, P2W...). */
  every: positiveIsoDurationSchema.check(z.refine((text) => REFERENCE.plus(durationOrUndefined(text) ?? {}).ms >= REFERENCE.plus({ days: 1 }).ms, { error: 'return visits are at least one day apart' })),
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
      if (end.ms <= previousEnd.ms) ctx.addIssue({ code: 'custom', path: ['rules', i, 'until'], message: `${rule.until} does not end after the previous rule` });
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
  end: ZonedTime | undefined;
}

function phasesOf(anchor: ZonedTime, schedule: Pick<ReturnVisitSchedule, 'rules'>): Phase[] {
  let offset: Duration | undefined;
  return schedule.rules.map((rule) => {
    const until = rule.until === undefined ? undefined : parseDuration(rule.until);
    const phase: Phase = { offset, every: parseDuration(rule.every), end: until ? anchor.plus(until) : undefined };
    offset = until;
    return phase;
  });
}

/** The k-th visit of a phase: anchor + (offset + k x every) in one step, so a month-end anchor does not drift. */
function visit(anchor: ZonedTime, phase: Phase, k: number): ZonedTime {
  const step = scaleDuration(phase.every, k);
  return anchor.plus(phase.offset ? addDurations(phase.offset, step) : step);
}

/** Visits of one phase after `after` (exclusive), lazily, oldest first. */
function* phaseVisitsAfter(anchor: ZonedTime, phase: Phase, after: ZonedTime): Generator<ZonedTime> {
  const start = phase.offset ? anchor.plus(phase.offset) : anchor;
  const approxMs = Math.max(1, approximateMs(phase.every));
  let k = Math.max(1, Math.floor((after.ms - start.ms) / approxMs) - 1);
  while (k > 1 && visit(anchor, phase, k - 1).ms > after.ms) k -= 1;
  while (visit(anchor, phase, k).ms <= after.ms) k += 1;
  for (; ; k += 1) {
    const at = visit(anchor, phase, k);
    if (phase.end && at.ms > phase.end.ms) return;
    if (at.ms > anchor.ms) yield at;
  }
}

function* visitsAfter(anchor: ZonedTime, schedule: Pick<ReturnVisitSchedule, 'rules'>, after: ZonedTime): Generator<ZonedTime> {
  for (const phase of phasesOf(anchor, schedule)) {
    if (phase.end && phase.end.ms <= after.ms) continue;
    yield* phaseVisitsAfter(anchor, phase, after);
  }
}

/**
 * Return visits in (from, to], oldest first, never the anchor itself. The k-th visit of a rule is
 * anchor + (previous rule's until + k x every), computed in `timeZone` in one calendar step: calendar
 * months clamp to the month's last day without drifting (anchor 2026-01-31: 02-28, 03-31,
 * 04-30...), and the local time of day is kept across DST changes.
 */
export function returnVisitOccurrences(anchor: InstantInput, schedule: Pick<ReturnVisitSchedule, 'rules'>, from: Date, to: Date, timeZone: string = DEFAULT_TIME_ZONE): Date[] {
  const start = zoned(anchor, timeZone);
  const after = zoned(from, timeZone);
  const result: Date[] = [];
  for (const at of visitsAfter(start, schedule, after)) {
    if (at.ms > to.getTime()) break;
    result.push(at.toDate());
  }
  return result;
}

/** The first return visit strictly after `after`, or undefined when the schedule has ended. */
export function nextReturnVisit(anchor: InstantInput, schedule: Pick<ReturnVisitSchedule, 'rules'>, after: Date, timeZone: string = DEFAULT_TIME_ZONE): Date | undefined {
  const next = visitsAfter(zoned(anchor, timeZone), schedule, zoned(after, timeZone)).next();
  return next.done ? undefined : next.value.toDate();
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
  return zoned(toInstant(from), timeZone).plus(parseDuration(trigger.delay)).toDate();
}
