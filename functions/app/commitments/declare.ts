/**
 * Declaring service commitments (POST /admin/commitments; the local runtime declares
 * surveys/commitments/*.yaml through functions/local/commitment-files.ts) and listing them.
 * Declarations live in one partition (`COMMITMENTS`, docs/storage.md).
 */
import { createHash } from 'node:crypto';
import {
  CALENDARS,
  changedNonWorkingDates,
  monthsReachedBy,
  validateCommitments,
  type CalendarSettings,
  type Commitment,
} from '../../domain/commitments';
import { invalid } from '../../domain/errors';
import { canonicalJson } from '../../domain/canonical-json';
import { periodOf, shiftPeriod } from '../../domain/period';
import { DEFAULT_TIME_ZONE } from '../../domain/time-zone';
import type { Deps } from '../deps';

export type DeclarationStatus = 'created' | 'updated' | 'unchanged';

export interface DeclareResult {
  commitments: { id: string; status: DeclarationStatus }[];
  /** Present when the document declared calendar settings. */
  calendars?: { id: string; status: DeclarationStatus }[];
  /** Present when a commitment lists a questionnaire that does not exist (yet): no report of it shows the commitment. */
  warnings?: string[];
}

const fingerprintOf = (value: Commitment | CalendarSettings): string => createHash('sha256').update(canonicalJson(value)).digest('hex');

/**
 * Settings replace the stored ones of their calendar. When the organisation's non-working days
 * change, every period whose events can have a deadline on a changed day is marked, so the next
 * run computes its compliance again (the current and previous periods are computed anyway).
 */
async function declareCalendarSettings(deps: Pick<Deps, 'store' | 'clock'>, calendars: Record<string, CalendarSettings>, commitments: readonly Commitment[], now: Date) {
  const declared: NonNullable<DeclareResult['calendars']> = [];
  const stamp = now.toISOString();
  const longest = Math.max(1, ...commitments.map((c) => (typeof c.target === 'object' ? c.target.workingDays : 1)));
  for (const [calendarId, settings] of Object.entries(calendars).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const fingerprint = fingerprintOf(settings);
    const existing = await deps.store.getCalendarSettings(calendarId);
    if (existing?.fingerprint === fingerprint) {
      declared.push({ id: calendarId, status: 'unchanged' });
      continue;
    }
    await deps.store.putCalendarSettings({ calendarId, settings, fingerprint, declaredAt: existing?.declaredAt ?? stamp, updatedAt: stamp });
    declared.push({ id: calendarId, status: existing ? 'updated' : 'created' });
    const [first] = changedNonWorkingDates(existing?.settings, settings);
    if (first === undefined) continue;
    const current = periodOf(now, CALENDARS[calendarId]?.timeZone ?? DEFAULT_TIME_ZONE);
    for (let period = shiftPeriod(first.slice(0, 7), -monthsReachedBy(longest)); period <= current; period = shiftPeriod(period, 1)) {
      await deps.store.markComplianceRecompute({ period, reason: 'calendar settings', markedAt: stamp });
    }
  }
  return declared;
}

/**
 * POST /admin/commitments `{ commitments: [...] }`: validated as a whole (400 with path-named
 * errors, nothing stored), then each declaration replaces the one with its id; other declared
 * commitments stay. The same content again changes nothing (`unchanged`).
 */
export async function declareCommitments(deps: Pick<Deps, 'store' | 'clock'>, input: unknown): Promise<DeclareResult> {
  const result = validateCommitments(input);
  if (!result.ok) throw invalid(result.errors, 'the commitments are invalid');
  const instant = deps.clock.now();
  const now = instant.toISOString();
  const declared: DeclareResult['commitments'] = [];
  for (const commitment of result.commitments) {
    const fingerprint = fingerprintOf(commitment);
    const existing = await deps.store.getCommitment(commitment.id);
    if (existing?.fingerprint === fingerprint) {
      declared.push({ id: commitment.id, status: 'unchanged' });
      continue;
    }
    await deps.store.putCommitment({ commitmentId: commitment.id, definition: commitment, fingerprint, declaredAt: existing?.declaredAt ?? now, updatedAt: now });
    declared.push({ id: commitment.id, status: existing ? 'updated' : 'created' });
  }
  // A typo in `surveys` would hide a commitment from every report without a word: say so (the
  // questionnaire may also come later, so it is a warning, and the commitment is declared).
  const listed = [...new Set(result.commitments.flatMap((commitment) => commitment.surveys ?? []))];
  const known = listed.length > 0 ? new Set(await deps.store.listSurveyIds()) : new Set<string>();
  const warnings = result.commitments.flatMap((commitment) =>
    (commitment.surveys ?? []).filter((surveyId) => !known.has(surveyId)).map((surveyId) => `commitment ${commitment.id} lists "${surveyId}", which is no questionnaire yet: until it is published, no report shows the commitment there`),
  );
  const withWarnings = warnings.length > 0 ? { warnings } : {};
  if (Object.keys(result.calendars).length === 0) return { commitments: declared, ...withWarnings };
  const all = [...(await listCommitments(deps)).commitments];
  return { commitments: declared, calendars: await declareCalendarSettings(deps, result.calendars, all, instant), ...withWarnings };
}

/** GET /admin/commitments: every declared commitment, by id, and the calendar settings declared. */
export async function listCommitments(deps: Pick<Deps, 'store'>): Promise<{ commitments: Commitment[]; calendars?: Record<string, CalendarSettings> }> {
  const [records, settings] = await Promise.all([deps.store.listCommitmentRecords(), deps.store.listCalendarSettings()]);
  const commitments = records.map((record) => record.definition).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (settings.length === 0) return { commitments };
  return { commitments, calendars: Object.fromEntries(settings.map((record) => [record.calendarId, record.settings])) };
}
