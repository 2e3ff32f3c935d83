/**
 * Questionnaire drafts, the console editor's working copy (docs/api.md, Questionnaires):
 * PUT /admin/surveys/{surveyId}/draft saves any JSON document, valid or not, and answers with the
 * same validation and lint the publication runs, so errors point at their fields while one types;
 * GET .../draft reads it back; POST .../draft/publish turns it into the next immutable version.
 * A draft is kept beside the versions and never reaches respondents.
 */
import { conflict, invalid, notFound, problemsFromZod, type Problem } from '../domain/errors';
import { validateQuestionnaire } from '../domain/questionnaire';
import { asNextVersion, checkDraft } from '../domain/questionnaire/draft';
import type { SurveyDraftRecord } from '../domain/records';
import { storableDocumentProblems, storedSizeBound } from '../domain/storable-document';
import * as z from '../domain/zod';
import type { AccessCheck } from './access';
import type { Deps } from './deps';
import { contentHashOf, publishSurvey } from './surveys';

/**
 * A draft's size as DynamoDB counts it, at most (storedSizeBound): a questionnaire of hundreds of
 * questions in two languages is far below; an item is 400 KB, with room left for the rest of it.
 */
export const MAX_DRAFT_BYTES = 300_000;

const saveSchema = z.strictObject({
  definition: z.record(z.string(), z.unknown()),
  /** The revision this save edited (0: there was none); without it the draft is replaced whatever it was. */
  baseRevision: z.optional(z.number().check(z.int(), z.gte(0), z.lte(1_000_000_000))),
});
const publishSchema = z.strictObject({ revision: z.optional(z.number().check(z.int(), z.gte(1), z.lte(1_000_000_000))) });

export interface DraftView {
  surveyId: string;
  revision: number;
  savedAt: string;
  savedBy: string;
  definition: Record<string, unknown>;
  /** What publication would refuse, and what it would warn about, with the version it would get. */
  errors: Problem[];
  warnings: Problem[];
  nextVersion: number;
}

async function nextVersionOf(deps: Pick<Deps, 'store'>, surveyId: string): Promise<number> {
  return ((await deps.store.getLatestSurveyVersion(surveyId))?.version ?? 0) + 1;
}

function viewOf(draft: SurveyDraftRecord, nextVersion: number): DraftView {
  const { errors, warnings } = checkDraft(draft.surveyId, draft.definition, nextVersion);
  return { ...draft, errors, warnings, nextVersion };
}

const staleDraft = (surveyId: string, current: number | undefined, base: number | undefined) =>
  conflict(`the draft of ${surveyId} is at revision ${current ?? 0}, not ${base}: it was saved meanwhile; read it again and reapply your change`);

/** PUT /admin/surveys/{surveyId}/draft. */
export async function saveSurveyDraft(deps: Pick<Deps, 'store' | 'clock'>, surveyId: string, body: unknown, access: AccessCheck): Promise<DraftView> {
  const parsed = saveSchema.safeParse(body);
  if (!parsed.success) throw invalid(problemsFromZod(parsed.error.issues), 'invalid draft');
  const { definition, baseRevision } = parsed.data;
  const problems = storableDocumentProblems(definition, ['definition']);
  if (typeof definition.id === 'string' && definition.id !== surveyId) problems.push({ path: 'definition.id', message: `the draft of "${surveyId}" cannot have the id "${definition.id}"` });
  if (storedSizeBound(definition) > MAX_DRAFT_BYTES) problems.push({ path: 'definition', message: `a draft is at most ${MAX_DRAFT_BYTES} bytes as stored (each number counts 21)` });
  if (problems.length > 0) throw invalid(problems, 'the draft cannot be stored');
  const current = await deps.store.getSurveyDraft(surveyId);
  // A save of another revision than the current one is refused before anything is written.
  if (baseRevision !== undefined && baseRevision !== (current?.revision ?? 0)) throw staleDraft(surveyId, current?.revision, baseRevision);
  const draft: SurveyDraftRecord = {
    surveyId,
    definition,
    revision: (baseRevision ?? current?.revision ?? 0) + 1,
    savedAt: deps.clock.now().toISOString(),
    savedBy: access.userId,
  };
  if (!(await deps.store.putSurveyDraft(draft, baseRevision))) {
    throw staleDraft(surveyId, (await deps.store.getSurveyDraft(surveyId))?.revision, baseRevision);
  }
  // Then in the catalogue, so a draft is listed before its first version exists (a crash in
  // between: the next save lists it).
  await deps.store.ensureSurveyCatalogueEntry(surveyId);
  return viewOf(draft, await nextVersionOf(deps, surveyId));
}

/** GET /admin/surveys/{surveyId}/draft. */
export async function getSurveyDraft(deps: Pick<Deps, 'store'>, surveyId: string): Promise<DraftView> {
  const draft = await deps.store.getSurveyDraft(surveyId);
  if (!draft) throw notFound(`questionnaire ${surveyId} has no draft`);
  return viewOf(draft, await nextVersionOf(deps, surveyId));
}

/** POST /admin/surveys/{surveyId}/draft/publish: the draft becomes the next version; the draft is then removed. */
export async function publishSurveyDraft(deps: Pick<Deps, 'store' | 'clock'>, surveyId: string, body: unknown): Promise<{ surveyId: string; version: number; warnings: Problem[] }> {
  const parsed = publishSchema.safeParse(body ?? {});
  if (!parsed.success) throw invalid(problemsFromZod(parsed.error.issues), 'invalid publish request');
  const draft = await deps.store.getSurveyDraft(surveyId);
  if (!draft) throw notFound(`questionnaire ${surveyId} has no draft`);
  if (parsed.data.revision !== undefined && parsed.data.revision !== draft.revision) {
    throw conflict(`the draft of ${surveyId} is at revision ${draft.revision}, not ${parsed.data.revision}: review it again before publishing`);
  }
  // A retry after a publication that stopped before removing its draft finds the draft published
  // already (the latest version has its content): it finishes the removal, publishing nothing twice.
  const latest = await deps.store.getLatestSurveyVersion(surveyId);
  if (latest) {
    const asLatest = validateQuestionnaire(asNextVersion(surveyId, draft.definition, latest.version));
    if (asLatest.ok && contentHashOf(asLatest.questionnaire) === latest.contentHash) {
      await deps.store.deleteSurveyDraft(surveyId, draft.revision);
      return { surveyId, version: latest.version, warnings: asLatest.warnings };
    }
  }
  const published = await publishSurvey(deps, asNextVersion(surveyId, draft.definition, (latest?.version ?? 0) + 1));
  // A later save (another revision) stays: it was not what was published.
  await deps.store.deleteSurveyDraft(surveyId, draft.revision);
  return { surveyId, version: published.version, warnings: published.warnings };
}
