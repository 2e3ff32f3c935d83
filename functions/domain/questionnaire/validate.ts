/**
 * The questionnaire schema with its cross-checks applied, and the validation of untrusted input
 * (errors from both; warnings from the lint rules).
 */
import { problemsFromZod, type Problem } from '../errors';
import * as z from '../zod';
import { crossCheck } from './cross-checks';
import { lintQuestionnaire } from './lint';
import { questionnaireShape, type Questionnaire } from './schema';

/** Every reference in the questionnaire must resolve; see crossCheck. */
export const questionnaireSchema = questionnaireShape.check(
  z.superRefine((q, ctx) => {
    for (const problem of crossCheck(q)) ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
  }),
);

export type ValidationResult =
  | { ok: true; questionnaire: Questionnaire; warnings: Problem[] }
  | { ok: false; errors: Problem[] };

/** Parses and checks untrusted input (YAML-parsed or JSON). */
export function validateQuestionnaire(input: unknown): ValidationResult {
  const parsed = questionnaireSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: problemsFromZod(parsed.error.issues) };
  return { ok: true, questionnaire: parsed.data, warnings: lintQuestionnaire(parsed.data) };
}
