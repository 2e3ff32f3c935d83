/**
 * Scoring of the indicator tree (docs/scoring.md).
 *
 * A rating answer v on [min, max] scores 100 (v - min) / (max - min), reversed 100 minus that.
 * A question's score is the mean over the responses that answered it; indicator, element and CSI
 * are weighted means of their children, renormalised over the children that are present.
 *
 * Responses are folded into a `ScoreAccumulator` per organisation unit; accumulators merge
 * exactly (counts, means and squared deviations combine by Chan's parallel formula), so a unit's
 * figures come from every response in its subtree, never from a mean of its children's means.
 */
import { tConfidenceInterval } from './stats/distributions';
import { ratingQuestions, type Questionnaire, type RatingScale } from './questionnaire/schema';
import { resolveDeclaredWeights, type WeightingSpec } from './stats/weighting';

export type Answers = Record<string, number | string | string[] | Record<string, number>>;

export function ratingScore(value: number, scale: Pick<RatingScale, 'min' | 'max'>, reverse = false): number {
  const score = (100 * (value - scale.min)) / (scale.max - scale.min);
  return reverse ? 100 - score : score;
}

/** Count, mean and sum of squared deviations: mergeable without losing precision. */
export interface Moments {
  n: number;
  mean: number;
  m2: number;
}

const emptyMoments = (): Moments => ({ n: 0, mean: 0, m2: 0 });

function addObservation(m: Moments, x: number): void {
  m.n += 1;
  const delta = x - m.mean;
  m.mean += delta / m.n;
  m.m2 += delta * (x - m.mean);
}

function mergeMoments(a: Moments, b: Moments): Moments {
  if (a.n === 0) return { ...b };
  if (b.n === 0) return { ...a };
  const n = a.n + b.n;
  const delta = b.mean - a.mean;
  return { n, mean: a.mean + (delta * b.n) / n, m2: a.m2 + b.m2 + (delta * delta * a.n * b.n) / n };
}

export interface QuestionAccumulator {
  score: Moments;
  /** Mean of the raw answers on the questionnaire's scale. */
  value: Moments;
}

/** Everything the report needs from a set of responses; serialisable as JSON. */
export interface ScoreAccumulator {
  responses: number;
  questions: Record<string, QuestionAccumulator>;
  /** Responses that answered at least one question below a node (indicator, element, or the index). */
  contributors: Record<string, number>;
}

export const emptyAccumulator = (): ScoreAccumulator => ({ responses: 0, questions: {}, contributors: {} });

/** A compiled view of the tree for fast per-response accumulation. */
export interface ScoringPlan {
  questionnaire: Questionnaire;
  ratings: ReturnType<typeof ratingQuestions>;
  /** For each scored question: the nodes (indicator, element, index) it contributes to. */
  ancestors: Map<string, string[]>;
}

export function scoringPlan(questionnaire: Questionnaire): ScoringPlan {
  const ancestors = new Map<string, string[]>();
  for (const element of questionnaire.index.elements) {
    for (const indicator of element.indicators) {
      for (const questionId of indicator.questions) {
        ancestors.set(questionId, [indicator.id, element.id, questionnaire.index.id]);
      }
    }
  }
  return { questionnaire, ratings: ratingQuestions(questionnaire), ancestors };
}

export function accumulate(plan: ScoringPlan, acc: ScoreAccumulator, answers: Answers): void {
  acc.responses += 1;
  const touched = new Set<string>();
  for (const [questionId, nodes] of plan.ancestors) {
    const value = answers[questionId];
    const rating = plan.ratings.get(questionId);
    if (typeof value !== 'number' || !rating) continue;
    const q = (acc.questions[questionId] ??= { score: emptyMoments(), value: emptyMoments() });
    addObservation(q.score, ratingScore(value, rating.scale, rating.question.reverse));
    addObservation(q.value, value);
    for (const node of nodes) touched.add(node);
  }
  for (const node of touched) acc.contributors[node] = (acc.contributors[node] ?? 0) + 1;
}

export function mergeAccumulators(a: ScoreAccumulator, b: ScoreAccumulator): ScoreAccumulator {
  const questions: Record<string, QuestionAccumulator> = { ...a.questions };
  for (const [id, q] of Object.entries(b.questions)) {
    const mine = questions[id];
    questions[id] = mine ? { score: mergeMoments(mine.score, q.score), value: mergeMoments(mine.value, q.value) } : q;
  }
  const contributors: Record<string, number> = { ...a.contributors };
  for (const [id, n] of Object.entries(b.contributors)) contributors[id] = (contributors[id] ?? 0) + n;
  return { responses: a.responses + b.responses, questions, contributors };
}

export interface QuestionScore {
  id: string;
  /** Mean score on 0-100. */
  score: number | null;
  /** Mean raw answer on the questionnaire's scale. */
  mean: number | null;
  n: number;
  /** Sample standard deviation (n - 1) of the 0-100 scores; null below 2 answers. */
  sd: number | null;
  /** t-based 95% confidence interval of the score; null below 2 answers. */
  ci95: [number, number] | null;
}

export interface IndicatorScore {
  id: string;
  score: number | null;
  n: number;
  questions: QuestionScore[];
}

export interface ElementScore {
  id: string;
  score: number | null;
  n: number;
  indicators: IndicatorScore[];
}

export interface TreeScores {
  n: number;
  csi: number | null;
  elements: ElementScore[];
  /** Human-readable notes on absent nodes and renormalised weights. */
  notes: string[];
}

/** Weighted mean over present children; weights renormalised over the present ones. */
function weightedMean(children: { score: number | null; weight: number }[]): number | null {
  const present = children.filter((c): c is { score: number; weight: number } => c.score !== null);
  const total = present.reduce((sum, c) => sum + c.weight, 0);
  if (present.length === 0 || total <= 0) return null;
  return present.reduce((sum, c) => sum + c.score * c.weight, 0) / total;
}

/**
 * The weights of a node's children: from its `weighting` when that resolves without data (fixed,
 * equal, AHP), else the children's own `weight`s, else equal. Data-driven methods (entropy,
 * derived, pls) are resolved by the computation that has the data; `dataDriven` carries them.
 */
export function weightsOf(
  nodeId: string,
  weighting: WeightingSpec | undefined,
  children: readonly { id: string; weight?: number | undefined }[],
  dataDriven: Readonly<Record<string, Record<string, number>>>,
  notes: string[] = [],
): number[] {
  const supplied = dataDriven[nodeId];
  if (supplied) return children.map((c) => supplied[c.id] ?? 0);
  if (weighting) {
    const resolution = resolveDeclaredWeights(weighting, children.map((c) => c.id));
    if (resolution.status === 'resolved') return children.map((c) => resolution.weights[c.id] ?? 0);
    notes.push(`"${nodeId}": ${weighting.method} weights need the responses' data; equal weights were used`);
    return children.map(() => 1 / children.length);
  }
  return children.map((c) => c.weight ?? 1 / children.length);
}

function questionScore(id: string, acc: QuestionAccumulator | undefined): QuestionScore {
  if (!acc || acc.score.n === 0) return { id, score: null, mean: null, n: 0, sd: null, ci95: null };
  const { n, mean } = acc.score;
  const sd = n >= 2 ? Math.sqrt(acc.score.m2 / (n - 1)) : null;
  return { id, score: mean, mean: acc.value.mean, n, sd, ci95: sd === null ? null : tConfidenceInterval(mean, sd, n) };
}

function absentNote(kind: string, id: string, siblingsPresent: boolean): string {
  return siblingsPresent
    ? `${kind} "${id}" has no answers: it is absent and its siblings' weights were renormalised`
    : `${kind} "${id}" has no answers: it is absent`;
}

/**
 * The scores of the whole tree from an accumulator. `dataDriven` holds child weights estimated
 * from the data (by node id), which take precedence over the questionnaire's declarations.
 */
export function scoreTree(
  questionnaire: Questionnaire,
  acc: ScoreAccumulator,
  dataDriven: Readonly<Record<string, Record<string, number>>> = {},
): TreeScores {
  const notes: string[] = [];
  const { index } = questionnaire;
  const elementWeights = weightsOf(index.id, index.weighting, index.elements, dataDriven, notes);
  const elements: ElementScore[] = index.elements.map((element) => {
    const indicatorWeights = weightsOf(element.id, element.weighting, element.indicators, dataDriven, notes);
    const indicators: IndicatorScore[] = element.indicators.map((indicator) => {
      const questions = indicator.questions.map((id) => questionScore(id, acc.questions[id]));
      const questionWeights = weightsOf(indicator.id, indicator.weighting, indicator.questions.map((id) => ({ id })), dataDriven, notes);
      const score = weightedMean(questions.map((q, k) => ({ score: q.score, weight: questionWeights[k] ?? 0 })));
      const answered = questions.filter((q) => q.score !== null).length;
      if (score !== null && answered < questions.length) {
        const missing = questions.filter((q) => q.score === null).map((q) => q.id);
        notes.push(`indicator "${indicator.id}": questions ${missing.map((m) => `"${m}"`).join(', ')} have no answers; the indicator is the mean of the others`);
      }
      return { id: indicator.id, score, n: acc.contributors[indicator.id] ?? 0, questions };
    });
    const score = weightedMean(indicators.map((ind, i) => ({ score: ind.score, weight: indicatorWeights[i] ?? 0 })));
    const anyPresent = indicators.some((ind) => ind.score !== null);
    if (anyPresent) indicators.filter((ind) => ind.score === null).forEach((ind) => notes.push(absentNote('indicator', ind.id, true)));
    return { id: element.id, score, n: acc.contributors[element.id] ?? 0, indicators };
  });
  const csi = weightedMean(elements.map((el, i) => ({ score: el.score, weight: elementWeights[i] ?? 0 })));
  const anyElement = elements.some((el) => el.score !== null);
  elements.filter((el) => el.score === null).forEach((el) => notes.push(absentNote('element', el.id, anyElement)));
  return { n: acc.responses, csi, elements, notes };
}

/**
 * The element scores of one response: what scoreTree gives for an accumulator of that response
 * alone, without the intervals (the alert rules' use at the submit, whose bundle carries no
 * statistics library). Data-driven weightings fall back to equal weights, as scoreTree's do
 * without their estimates.
 */
export function responseElementScores(questionnaire: Questionnaire, answers: Answers): Map<string, number | null> {
  const ratings = ratingQuestions(questionnaire);
  const scoreOf = (id: string): number | null => {
    const value = answers[id];
    const rating = ratings.get(id);
    return typeof value === 'number' && rating ? ratingScore(value, rating.scale, rating.question.reverse) : null;
  };
  return new Map(
    questionnaire.index.elements.map((element) => {
      const indicatorWeights = weightsOf(element.id, element.weighting, element.indicators, {});
      const indicators = element.indicators.map((indicator) => {
        const weights = weightsOf(indicator.id, indicator.weighting, indicator.questions.map((id) => ({ id })), {});
        return weightedMean(indicator.questions.map((id, k) => ({ score: scoreOf(id), weight: weights[k] ?? 0 })));
      });
      return [element.id, weightedMean(indicators.map((score, i) => ({ score, weight: indicatorWeights[i] ?? 0 })))];
    }),
  );
}
