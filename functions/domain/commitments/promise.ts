/**
 * The promise as recorded beside the promise as felt: a rating question that names a commitment
 * (`commitment: gas.repair.handle`) is set next to that commitment's compliance, per unit.
 */
import type { Questionnaire } from '../questionnaire/schema';
import type { ComplianceSummary } from './compliance';

export interface CommitmentQuestion {
  questionId: string;
  commitmentId: string;
}

/** The rating questions that ask about a commitment, in questionnaire order. */
export function commitmentQuestions(questionnaire: Questionnaire): CommitmentQuestion[] {
  return questionnaire.questions.flatMap((question) =>
    question.type === 'rating' && question.commitment ? [{ questionId: question.id, commitmentId: question.commitment }] : [],
  );
}

/** Commitment ids the questionnaire refers to that are not declared (for a warning at publication). */
export function undeclaredCommitments(questionnaire: Questionnaire, declared: Iterable<string>): string[] {
  const known = new Set(declared);
  return [...new Set(commitmentQuestions(questionnaire).map((c) => c.commitmentId))].filter((id) => !known.has(id));
}

export interface PromiseComparison extends CommitmentQuestion {
  /** As recorded: compliance (0-1) over the unit's measurable events; null without any or undeclared. */
  recorded: { compliance: number | null; n: number } | null;
  /** As felt: the question's mean score (0-100, as scoring.ts gives it) and its number of answers. */
  felt: { score: number | null; n: number } | null;
}

/**
 * One row per commitment question of a unit and period. `questionScores` is what the unit's
 * scores say per question (TreeScores flattened, or any map); `compliance` is by commitment id.
 */
export function comparePromises(
  questionnaire: Questionnaire,
  questionScores: Readonly<Record<string, { score: number | null; n: number }>>,
  compliance: Readonly<Record<string, Pick<ComplianceSummary, 'compliance' | 'n'>>>,
): PromiseComparison[] {
  return commitmentQuestions(questionnaire).map((link) => {
    const recorded = compliance[link.commitmentId];
    const felt = questionScores[link.questionId];
    return {
      ...link,
      recorded: recorded ? { compliance: recorded.compliance, n: recorded.n } : null,
      felt: felt ? { score: felt.score, n: felt.n } : null,
    };
  });
}
