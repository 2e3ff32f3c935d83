/**
 * `manyi commitments --commitments FILE.yaml --events FILE.csv [--now ISO] [--json]`: compliance
 * with service commitments (docs/gaps.md). The CSV has columns eventId, type, orgUnitId and the
 * timestamp fields the commitments name (ISO 8601 with offset; empty = not yet).
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseDocument } from 'yaml';
import * as z from '../../domain/zod';
import {
  CALENDARS,
  calendarNotice,
  computeCompliance,
  defaultCalendarSettings,
  effectiveCalendar,
  parseTimestamp,
  validateCommitments,
  type CalendarResolver,
  type CalendarSettings,
  type Commitment,
  type ComplianceSummary,
  type ServiceEvent,
} from '../../domain/commitments';
import { systemClock } from '../../shared/clock';
import type { CsvTable } from '../csv';
import { parseOptions, readDataFile, runCommand } from '../options';

const commitmentsOptionsSchema = z.object({
  commitments: z.string({ error: 'is required (a YAML file holding commitments: [...])' }).check(z.minLength(1)),
  events: z.string({ error: 'is required (a CSV file)' }).check(z.minLength(1)),
  now: z.optional(
    z.pipe(
      z.string(),
      z.transform((text, ctx) => {
        const instant = parseTimestamp(text);
        if (!instant) ctx.issues.push({ code: 'custom', message: `"${text}" is not an ISO 8601 date and time with an offset`, input: text });
        return instant ?? new Date(NaN);
      }),
    ),
  ),
  json: z.optional(z.boolean()),
});

const EVENT_COLUMNS = ['eventId', 'type', 'orgUnitId'] as const;

export function readCommitmentsFile(path: string): { commitments: Commitment[]; calendars: Record<string, CalendarSettings> } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`--commitments ${JSON.stringify(path)}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  const document = parseDocument(text);
  if (document.errors.length > 0) throw new Error(`--commitments ${JSON.stringify(path)}: ${document.errors[0]?.message.split('\n')[0]}`);
  const result = validateCommitments(document.toJS());
  if (!result.ok) {
    const first = result.errors[0];
    throw new Error(`--commitments ${JSON.stringify(path)}: ${first?.path}: ${first?.message}`);
  }
  return { commitments: result.commitments, calendars: result.calendars };
}

/** The CSV rows as service events; every column but eventId, type and orgUnitId is a timestamp field. */
export function eventsFromCsv(table: CsvTable): ServiceEvent[] {
  const missing = EVENT_COLUMNS.filter((c) => !table.columns.includes(c));
  if (missing.length > 0) throw new Error(`--events: missing column(s) ${missing.join(', ')}`);
  const timestampColumns = table.columns.filter((c) => !(EVENT_COLUMNS as readonly string[]).includes(c));
  return table.rows.map((row, r) => {
    const timestamps: Record<string, string | null> = {};
    for (const column of timestampColumns) {
      const cell = row[column]?.trim() ?? '';
      if (cell !== '' && !parseTimestamp(cell)) {
        throw new Error(`row ${r + 1}, column "${column}": "${cell}" is not an ISO 8601 date and time with an offset (e.g. 2026-02-13T09:30:00+08:00)`);
      }
      timestamps[column] = cell === '' ? null : cell;
    }
    for (const column of EVENT_COLUMNS) if (!row[column]?.trim()) throw new Error(`row ${r + 1}: column "${column}" is empty`);
    return { eventId: row.eventId!.trim(), type: row.type!.trim(), orgUnitId: row.orgUnitId!.trim(), timestamps };
  });
}

const hours = (value: number | null) => (value === null ? '-' : `${value.toFixed(1)} h`);

function textLine(summary: ComplianceSummary): string {
  const compliance = summary.compliance === null ? '-' : `${(100 * summary.compliance).toFixed(1)}%`;
  return (
    `${summary.id}: ${summary.met}/${summary.n} met (${compliance}), median ${hours(summary.p50)}, p90 ${hours(summary.p90)}, ` +
    `mean overrun ${hours(summary.meanOverrun)}; ${summary.missedOpen} open past deadline, ${summary.pending} pending, ${summary.unmeasurable} unmeasurable` +
    (summary.provisional ? `; provisional (${summary.provisionalEvents} deadline${summary.provisionalEvents === 1 ? '' : 's'} past the published calendar)` : '')
  );
}

/**
 * The file's calendar settings (weekends-only fallback by default, as in the platform); without
 * an organisation tree here, a non-working day with `units` applies to events of exactly those units.
 */
const calendarsOf = (calendars: Record<string, CalendarSettings>): CalendarResolver => (calendarId, orgUnitId) => {
  const base = CALENDARS[calendarId];
  return base ? effectiveCalendar(base, calendars[calendarId] ?? defaultCalendarSettings(), [orgUnitId]) : undefined;
};

function runCommitments(options: unknown): void {
  const parsed = parseOptions(commitmentsOptionsSchema, options);
  const { commitments, calendars } = readCommitmentsFile(parsed.commitments);
  const events = eventsFromCsv(readDataFile(parsed.events));
  const now = parsed.now ?? systemClock.now();
  const used = [...new Set(commitments.flatMap((c) => (typeof c.target === 'object' && c.calendar ? [c.calendar] : [])))].sort();
  for (const id of used) {
    const notice = CALENDARS[id] ? calendarNotice(CALENDARS[id], now, (calendars[id] ?? defaultCalendarSettings()).fallback) : null;
    if (!notice) continue;
    const left = notice.daysLeft >= 0 ? `${notice.daysLeft} days left` : 'ended';
    const after = notice.fallback === 'weekends' ? 'count weekends only (provisional)' : 'are unmeasurable';
    process.stderr.write(`warning: the working-day calendar "${id}" has public holidays through ${notice.coveredThrough} (${left}); deadlines after it ${after}; add ${notice.missingYear} (functions/domain/commitments/calendars/README.md)\n`);
  }
  const results = computeCompliance(commitments, events, now, calendarsOf(calendars));
  if (parsed.json) {
    process.stdout.write(`${JSON.stringify({ commitments: results })}\n`);
    return;
  }
  process.stdout.write(`${results.map(textLine).join('\n')}\n`);
}

export function register(program: Command): void {
  program
    .command('commitments')
    .description('service commitment compliance over service events: met / measurable, median and p90 duration, mean overrun (hours)')
    .option('--commitments <file>', 'YAML file holding commitments: [...]')
    .option('--events <file>', 'CSV: eventId, type, orgUnitId and the timestamp fields (ISO 8601 with offset; empty = not yet)')
    .option('--now <instant>', 'the moment open events are judged at (default: now), e.g. 2026-03-01T00:00:00+08:00')
    .option('--json', 'print the result as JSON')
    .action((options: unknown) => runCommand('commitments', () => runCommitments(options)));
}
