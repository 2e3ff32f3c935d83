/**
 * The questionnaires as the console lists them (GET /admin/surveys), one version read whole
 * (GET /admin/surveys/{surveyId}/versions/{version}), and archiving (POST .../archive).
 * Questionnaires belong to the whole organisation, so every reader sees every one; the response
 * counts are those of the reader's own units.
 */
import { invalid, notFound, problemsFromZod } from '../domain/errors';
import { periodOf } from '../domain/period';
import type { SurveyVersionRecord } from '../domain/records';
import * as z from '../domain/zod';
import type { AccessCheck } from './access';
import type { Deps } from './deps';
import { pageQueryShape, topUnits, withCursor } from './list-pages';

const DEFAULT_PAGE_SIZE = 50;

const listQuerySchema = z.strictObject({
  ...pageQueryShape,
  /** Archived questionnaires are listed too unless `archived=exclude`; `only` lists them alone. */
  archived: z.optional(z.enum(['include', 'exclude', 'only'])),
});

export type SurveyState = 'draft' | 'published' | 'archived';

export interface SurveySummary {
  surveyId: string;
  /** Of the latest version, else of the draft. */
  title: Record<string, string>;
  state: SurveyState;
  /** Published versions, oldest first. */
  versions: { version: number; publishedAt: string }[];
  latestVersion?: number;
  draft?: { revision: number; savedAt: string };
  archivedAt?: string;
  /** This month's responses to the latest version in the reader's units, as of the last computation (every 15 minutes). */
  responses: { period: string; count: number };
}

/** GET /admin/surveys. */
export async function listSurveys(deps: Pick<Deps, 'store' | 'clock' | 'config'>, query: unknown, access: AccessCheck): Promise<{ surveys: SurveySummary[]; cursor?: string }> {
  const parsed = listQuerySchema.safeParse(query);
  if (!parsed.success) throw invalid(problemsFromZod(parsed.error.issues), 'invalid list query');
  const { limit = DEFAULT_PAGE_SIZE, cursor, archived = 'include' } = parsed.data;
  const page = await withCursor(() => deps.store.listSurveyCatalogue(limit, cursor));
  const entries = page.items.filter((entry) => (archived === 'include' ? true : archived === 'only' ? entry.archivedAt !== undefined : entry.archivedAt === undefined));
  const [details, units] = await Promise.all([
    Promise.all(entries.map(async (entry) => ({ entry, versions: await deps.store.listSurveyVersions(entry.surveyId), draft: await deps.store.getSurveyDraft(entry.surveyId) }))),
    topUnits(access),
  ]);
  const period = periodOf(deps.clock.now(), deps.config.timeZone);
  const wanted = details.flatMap(({ entry, versions }) => {
    const latest = versions.at(-1);
    return latest ? units.map((orgUnitId) => ({ surveyId: entry.surveyId, period, version: latest.version, orgUnitId })) : [];
  });
  const points = await deps.store.trendPointsOf(wanted);
  const counts = new Map<string, number>();
  wanted.forEach((point, i) => counts.set(point.surveyId, (counts.get(point.surveyId) ?? 0) + (points[i]?.n ?? 0)));
  const surveys = details.map(({ entry, versions, draft }): SurveySummary => {
    const latest = versions.at(-1);
    const draftTitle = draft?.definition.title;
    return {
      surveyId: entry.surveyId,
      title: latest?.title ?? (draftTitle && typeof draftTitle === 'object' ? (draftTitle as Record<string, string>) : {}),
      state: entry.archivedAt ? 'archived' : latest ? 'published' : 'draft',
      versions: versions.map(({ version, publishedAt }) => ({ version, publishedAt })),
      ...(latest ? { latestVersion: latest.version } : {}),
      ...(draft ? { draft: { revision: draft.revision, savedAt: draft.savedAt } } : {}),
      ...(entry.archivedAt ? { archivedAt: entry.archivedAt } : {}),
      responses: { period, count: counts.get(entry.surveyId) ?? 0 },
    };
  });
  return { surveys, ...(page.cursor ? { cursor: page.cursor } : {}) };
}

/** GET /admin/surveys/{surveyId}/versions/{version}: the published version as stored. */
export async function getSurveyVersionOf(deps: Pick<Deps, 'store'>, surveyId: string, versionText: string): Promise<SurveyVersionRecord> {
  const version = /^[1-9]\d{0,5}$/.test(versionText) ? Number(versionText) : undefined;
  const record = version === undefined ? undefined : await deps.store.getSurveyVersion(surveyId, version);
  if (!record) throw notFound(`questionnaire ${surveyId} has no published version ${versionText}`);
  return record;
}

const archiveSchema = z.strictObject({ archived: z.boolean() });

/** POST /admin/surveys/{surveyId}/archive: `{"archived": true}` archives, `false` restores. */
export async function archiveSurvey(deps: Pick<Deps, 'store' | 'clock'>, surveyId: string, body: unknown): Promise<{ surveyId: string; archivedAt?: string }> {
  const parsed = archiveSchema.safeParse(body);
  if (!parsed.success) throw invalid(problemsFromZod(parsed.error.issues), 'invalid archive request');
  const archivedAt = parsed.data.archived ? deps.clock.now().toISOString() : undefined;
  if (!(await deps.store.setSurveyArchived(surveyId, archivedAt))) throw notFound(`questionnaire ${surveyId} does not exist`);
  return { surveyId, ...(archivedAt ? { archivedAt } : {}) };
}
