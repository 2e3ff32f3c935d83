import { createHash } from 'node:crypto';
import { conflict, invalid } from '../domain/errors';
import { canonicalJson } from '../domain/canonical-json';
import { validateQuestionnaire } from '../domain/questionnaire';
import type { Deps } from './deps';

export interface PublishResult {
  surveyId: string;
  version: number;
  /** 'unchanged' when the same id+version with the same content was published before. */
  status: 'created' | 'unchanged';
  warnings: { path: string; message: string }[];
}

/** What tells two publications of a version apart: the hash of the validated questionnaire's canonical JSON. */
export const contentHashOf = (questionnaire: unknown): string => createHash('sha256').update(canonicalJson(questionnaire)).digest('hex');

/** Publishes a questionnaire version; a published version is immutable. */
export async function publishSurvey(deps: Pick<Deps, 'store' | 'clock'>, input: unknown): Promise<PublishResult> {
  const result = validateQuestionnaire(input);
  if (!result.ok) throw invalid(result.errors, 'the questionnaire is invalid');
  const { questionnaire, warnings } = result;
  const contentHash = contentHashOf(questionnaire);
  const existing = await deps.store.putSurveyVersionIfAbsent({
    surveyId: questionnaire.id,
    version: questionnaire.version,
    contentHash,
    definition: questionnaire,
    publishedAt: deps.clock.now().toISOString(),
  });
  if (existing && existing.contentHash !== contentHash) {
    throw conflict(`questionnaire ${questionnaire.id} version ${questionnaire.version} is already published with different content; publish a new version`);
  }
  return { surveyId: questionnaire.id, version: questionnaire.version, status: existing ? 'unchanged' : 'created', warnings };
}
