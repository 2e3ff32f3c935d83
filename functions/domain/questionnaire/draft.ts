/**
 * What publishing a draft would say: the one check the draft routes answer with and the console's
 * editor runs as one types (functions/app/survey-drafts.ts, console/), so both always agree.
 */
import type { Problem } from '../errors';
import type { Questionnaire } from './schema';
import { validateQuestionnaire } from './validate';

/** The definition as it would be published: this id, the next version number. */
export const asNextVersion = (surveyId: string, definition: Readonly<Record<string, unknown>>, nextVersion: number) => ({ ...definition, id: surveyId, version: nextVersion });

export interface DraftCheck {
  errors: Problem[];
  warnings: Problem[];
  /** The questionnaire it would publish, when it is valid (what the preview renders). */
  questionnaire?: Questionnaire;
}

export function checkDraft(surveyId: string, definition: Readonly<Record<string, unknown>>, nextVersion: number): DraftCheck {
  const result = validateQuestionnaire(asNextVersion(surveyId, definition, nextVersion));
  return result.ok ? { errors: [], warnings: result.warnings, questionnaire: result.questionnaire } : { errors: result.errors, warnings: [] };
}
