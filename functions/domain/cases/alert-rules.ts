/**
 * A questionnaire's alert rules (`alerts:`, docs/questionnaire-format.md "Alerts (cases)"): their
 * checks against the questionnaire, and their evaluation on one response, which says which rules
 * open a case and why. The schema is in ./alert-rule-schema.ts (the questionnaire schema imports
 * it from there; importing this module there would close a cycle through ../scoring.ts) and is
 * re-exported here.
 *
 * The reasons name what matched in English (question ids, values on the scale, option values,
 * the rule's own keywords), never a respondent's free text: they are stored with the case and shown
 * to staff, who read the response itself where their access allows it.
 */
import type { PathProblem } from '../questionnaire/path-problems';
import { duplicates } from '../questionnaire/path-problems';
import type { Question, Questionnaire } from '../questionnaire/schema';
import { responseElementScores, type Answers } from '../scoring';
import type { AlertCondition, AlertPriority, AlertRule, CommentCondition, ElementCondition, RatingCondition } from './alert-rule-schema';

export * from './alert-rule-schema';

/** A rule whose `when` holds for a response: the case to open. */
export interface AlertMatch {
  ruleId: string;
  priority: AlertPriority;
  /** What matched, e.g. `q_overall = 1 (at most 2)`, `comment contains "态度差"`. */
  reasons: string[];
}

/** NPS bands on the 0-10 scale. */
const DETRACTOR_MAX = 6;
const PROMOTER_MIN = 9;

type Path = (string | number)[];

const isRating = (c: AlertCondition): c is RatingCondition => 'question' in c;
const isElement = (c: AlertCondition): c is ElementCondition => 'element' in c;

// ---------------------------------------------------------------------------------------------
// Checks against the questionnaire

/**
 * What the alert rules get wrong about the questionnaire: references to questions and elements
 * that do not exist or are of the wrong type (an nps question on another scale than 0-10, a choice
 * value that is no option), rating bounds outside the question's scale, and duplicate rule ids.
 * Paths start at the questionnaire: ['alerts', i, 'when', 'any', k, 'question'].
 *
 * What needs no questionnaire is the schema's (./alert-rule-schema.ts), so that a rule stored on
 * its own (POST /admin/alert-rules without a questionnaire) is as sound: conditions that can never
 * hold (atLeast > atMost, an element bound outside 0-100) and escalations after a target the sla
 * does not declare. They are not repeated here, which would report them twice.
 */
export function checkAlertRules(rules: readonly AlertRule[], questionnaire: Questionnaire): PathProblem[] {
  const problems: PathProblem[] = [];
  const questions = new Map(questionnaire.questions.map((question) => [question.id, question]));
  const elements = new Set(questionnaire.index.elements.map((element) => element.id));

  duplicates(rules, (rule) => rule.id, (i, id) => problems.push({ path: ['alerts', i, 'id'], message: `duplicate alert id "${id}"` }));

  /** The question a condition names, when it exists and has the type; otherwise a problem at `path`. */
  const questionOf = <T extends Question['type']>(id: string, type: T, path: Path, use: string): Extract<Question, { type: T }> | undefined => {
    const question = questions.get(id);
    if (!question) problems.push({ path, message: `unknown question "${id}"` });
    else if (question.type !== type) problems.push({ path, message: `question "${id}" is a ${question.type} question; ${use}` });
    else return question as Extract<Question, { type: T }>;
    return undefined;
  };
  const scaleOf = (question: Extract<Question, { type: 'rating' }>) => questionnaire.scales[question.scale];

  const check = (condition: AlertCondition, path: Path): void => {
    if ('any' in condition || 'all' in condition) {
      const key = 'any' in condition ? 'any' : 'all';
      const children = 'any' in condition ? condition.any : condition.all;
      children.forEach((child, k) => check(child, [...path, key, k]));
      return;
    }
    if (isRating(condition)) {
      const question = questionOf(condition.question, 'rating', [...path, 'question'], 'atMost and atLeast compare rating answers');
      const scale = question && scaleOf(question); // an unknown scale is the questionnaire's own error
      if (scale) {
        for (const key of ['atMost', 'atLeast'] as const) {
          const value = condition[key];
          if (value !== undefined && (value < scale.min || value > scale.max)) {
            problems.push({ path: [...path, key], message: `${value} is outside the scale ${scale.min}..${scale.max} of "${condition.question}"` });
          }
        }
      }
      return;
    }
    if (isElement(condition)) {
      if (!elements.has(condition.element)) problems.push({ path: [...path, 'element'], message: `unknown element "${condition.element}"` });
      return;
    }
    if ('choice' in condition) {
      const question = questionOf(condition.choice.question, 'choice', [...path, 'choice', 'question'], 'in compares choice answers');
      if (!question) return;
      const values = new Set(question.options.map((option) => option.value));
      condition.choice.in.forEach((value, j) => {
        if (!values.has(value)) problems.push({ path: [...path, 'choice', 'in', j], message: `"${value}" is not an option of "${question.id}"` });
      });
      return;
    }
    if ('nps' in condition) {
      const question = questionOf(condition.nps, 'rating', [...path, 'nps'], 'nps needs a rating question on a 0-10 scale');
      const scale = question && scaleOf(question);
      if (scale && (scale.min !== 0 || scale.max !== 10)) {
        problems.push({ path: [...path, 'nps'], message: `question "${condition.nps}" is on the scale ${scale.min}..${scale.max}; nps needs a 0-10 scale` });
      }
      return;
    }
    const comment = (condition as CommentCondition).comment;
    questionOf(comment.question, 'text', [...path, 'comment', 'question'], 'keywords are looked for in text answers');
  };

  rules.forEach((rule, i) => {
    check(rule.when, ['alerts', i, 'when']);
  });
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Evaluation on one response

interface Outcome {
  holds: boolean;
  reasons: string[];
}

const NO: Outcome = { holds: false, reasons: [] };
const yes = (reason: string): Outcome => ({ holds: true, reasons: [reason] });

/** Text compared without regard to case or width (full-width "ＲＵＤＥ" is "rude"); Chinese has no word boundaries, so a substring is enough. */
const folded = (text: string) => text.normalize('NFKC').toLowerCase();

/** Element scores carry floating-point noise (a mean of 40 may come out 39.99999999999999); bounds compare at 1e-9. */
const cleaned = (score: number) => Math.round(score * 1e9) / 1e9;

/**
 * The rules whose `when` holds for one response's answers, in the rules' order, each with what
 * matched. An unanswered question never matches (so an `all` with one does not hold). Element
 * scores are those of this response alone, by the questionnaire's scoring (../scoring.ts): the
 * declared weights (fixed, equal, AHP, `weight`s); data-driven weightings (pls, entropy, derived)
 * need many responses and fall back to equal weights there, which is what a single response allows.
 */
export function evaluateAlerts(rules: readonly AlertRule[], questionnaire: Questionnaire, answers: Answers): AlertMatch[] {
  let elementScores: Map<string, number | null> | undefined;
  const elementScore = (id: string): number | null => {
    elementScores ??= responseElementScores(questionnaire, answers);
    return elementScores.get(id) ?? null;
  };
  const numberAnswer = (id: string): number | undefined => {
    const value = Object.hasOwn(answers, id) ? answers[id] : undefined;
    return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  };

  const evaluate = (condition: AlertCondition): Outcome => {
    if ('any' in condition) {
      const outcomes = condition.any.map(evaluate).filter((o) => o.holds);
      return outcomes.length > 0 ? { holds: true, reasons: outcomes.flatMap((o) => o.reasons) } : NO;
    }
    if ('all' in condition) {
      const outcomes = condition.all.map(evaluate);
      return outcomes.every((o) => o.holds) ? { holds: true, reasons: outcomes.flatMap((o) => o.reasons) } : NO;
    }
    if (isRating(condition)) {
      const value = numberAnswer(condition.question);
      if (value === undefined) return NO;
      const { atMost, atLeast } = condition;
      if ((atMost !== undefined && value > atMost) || (atLeast !== undefined && value < atLeast)) return NO;
      const bounds = [atLeast !== undefined ? `at least ${atLeast}` : undefined, atMost !== undefined ? `at most ${atMost}` : undefined].filter(Boolean).join(', ');
      return yes(`${condition.question} = ${value} (${bounds})`);
    }
    if (isElement(condition)) {
      const raw = elementScore(condition.element);
      if (raw === null) return NO;
      const score = cleaned(raw);
      if (condition.below !== undefined) return score < condition.below ? yes(`element ${condition.element} ${score.toFixed(1)} (below ${condition.below})`) : NO;
      if (condition.atMost !== undefined) return score <= condition.atMost ? yes(`element ${condition.element} ${score.toFixed(1)} (at most ${condition.atMost})`) : NO;
      return NO;
    }
    if ('choice' in condition) {
      const { question, in: values } = condition.choice;
      const answer = Object.hasOwn(answers, question) ? answers[question] : undefined;
      const chosen = typeof answer === 'string' ? [answer] : Array.isArray(answer) ? answer.filter((v): v is string => typeof v === 'string') : [];
      const picked = values.filter((value) => chosen.includes(value));
      return picked.length > 0 ? yes(`${question}: ${picked.join(', ')}`) : NO;
    }
    if ('nps' in condition) {
      const value = numberAnswer(condition.nps);
      if (value === undefined) return NO;
      if (condition.detractor && value >= 0 && value <= DETRACTOR_MAX) return yes(`${condition.nps} = ${value} (detractor)`);
      if (condition.promoter && value >= PROMOTER_MIN && value <= 10) return yes(`${condition.nps} = ${value} (promoter)`);
      return NO;
    }
    const { question, keywords } = (condition as CommentCondition).comment;
    const answer = Object.hasOwn(answers, question) ? answers[question] : undefined;
    if (typeof answer !== 'string') return NO;
    const text = folded(answer);
    // The rule's keywords as written, never the respondent's words around them.
    const found = [...new Set(keywords)].filter((keyword) => text.includes(folded(keyword)));
    return found.length > 0 ? yes(`${question} contains ${found.map((k) => `"${k}"`).join(', ')}`) : NO;
  };

  const matches: AlertMatch[] = [];
  for (const rule of rules) {
    const outcome = evaluate(rule.when);
    if (outcome.holds) matches.push({ ruleId: rule.id, priority: rule.priority, reasons: [...new Set(outcome.reasons)] });
  }
  return matches;
}
