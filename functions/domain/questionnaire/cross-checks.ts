/**
 * The checks across the parts of a questionnaire that the schema of each part cannot make: unique
 * ids, resolvable references, one indicator per question, weights, weightings, translations, and
 * (beside their domains) the PLS model's, the gap model's and the alert rules'. They are errors: a
 * questionnaire that fails them cannot be scored.
 */
import { checkAlertRules } from '../cases/alert-rules';
import { checkGaps } from '../gaps/questionnaire-checks';
import { checkPlsModel } from '../pls/questionnaire-checks';
import { resolveDeclaredWeights, type WeightingSpec } from '../stats/weighting';
import { checkSiblingWeights, duplicates, type PathProblem } from './path-problems';
import type { Questionnaire } from './schema';
import { forEachText } from './texts';

/** Referential integrity: unique ids, resolvable references, one indicator per question, weights, translations. */
export function crossCheck(q: Questionnaire): PathProblem[] {
  const problems: PathProblem[] = [];

  duplicates(q.languages, (l) => l, (i, l) => problems.push({ path: ['languages', i], message: `duplicate language "${l}"` }));
  duplicates(q.questions, (question) => question.id, (i, id) => problems.push({ path: ['questions', i, 'id'], message: `duplicate question id "${id}"` }));

  const nodeIds = new Map<string, string>();
  const claimNodeId = (id: string, path: (string | number)[], what: string) => {
    const previous = nodeIds.get(id);
    if (previous) problems.push({ path, message: `duplicate id "${id}" (already used by ${previous})` });
    else nodeIds.set(id, what);
  };
  claimNodeId(q.index.id, ['index', 'id'], 'the index');

  const questionsById = new Map(q.questions.map((question) => [question.id, question]));
  const indicatorOfQuestion = new Map<string, string>();

  checkSiblingWeights(q.index.elements, ['index', 'elements'], problems);
  q.index.elements.forEach((element, e) => {
    const elementPath = ['index', 'elements', e];
    claimNodeId(element.id, [...elementPath, 'id'], `element ${element.id}`);
    checkSiblingWeights(element.indicators, [...elementPath, 'indicators'], problems);
    element.indicators.forEach((indicator, i) => {
      const indicatorPath = [...elementPath, 'indicators', i];
      claimNodeId(indicator.id, [...indicatorPath, 'id'], `indicator ${indicator.id}`);
      indicator.questions.forEach((questionId, k) => {
        const path = [...indicatorPath, 'questions', k];
        const question = questionsById.get(questionId);
        if (!question) {
          problems.push({ path, message: `unknown question "${questionId}"` });
          return;
        }
        if (question.type !== 'rating') {
          problems.push({ path, message: `question "${questionId}" is a ${question.type} question; only rating questions can be scored` });
          return;
        }
        const owner = indicatorOfQuestion.get(questionId);
        if (owner) problems.push({ path, message: `question "${questionId}" is already in indicator "${owner}"; a question belongs to one indicator` });
        else indicatorOfQuestion.set(questionId, indicator.id);
      });
    });
  });

  q.questions.forEach((question, i) => {
    if (question.type === 'rating' && !Object.hasOwn(q.scales, question.scale)) {
      problems.push({ path: ['questions', i, 'scale'], message: `unknown scale "${question.scale}"` });
    }
    if (question.type === 'choice') {
      duplicates(question.options, (o) => o.value, (o, value) => problems.push({ path: ['questions', i, 'options', o, 'value'], message: `duplicate option value "${value}"` }));
    }
  });

  checkWeightings(q, problems);
  if (q.index.model) checkPlsModel(q, q.index.model, problems);
  if (q.gaps) checkGaps(q.gaps, questionsById, problems);
  if (q.alerts) problems.push(...checkAlertRules(q.alerts, q));

  forEachText(q, (text, path) => {
    for (const lang of q.languages) {
      if (!Object.hasOwn(text, lang)) problems.push({ path, message: `missing translation "${lang}"` });
    }
  });
  return problems;
}

/** A `weighting` replaces the children's own weights and must resolve for its children (AHP: consistent). */
function checkWeightings(q: Questionnaire, problems: PathProblem[]): void {
  const check = (
    spec: WeightingSpec | undefined,
    children: readonly { id: string; weight?: number | undefined }[] | readonly string[],
    path: (string | number)[],
    allowPls: boolean,
  ) => {
    if (!spec) return;
    const ids = children.map((c) => (typeof c === 'string' ? c : c.id));
    if (children.some((c) => typeof c !== 'string' && c.weight !== undefined)) {
      problems.push({ path: [...path, 'weighting'], message: 'the children carry weights too: give weights either on the children or in weighting' });
    }
    if (spec.method === 'pls' && !allowPls) {
      problems.push({ path: [...path, 'weighting', 'method'], message: 'pls weights only the elements of an index with a model' });
      return;
    }
    const resolution = resolveDeclaredWeights(spec, ids);
    if (resolution.status === 'invalid') resolution.errors.forEach((message) => problems.push({ path: [...path, 'weighting'], message }));
  };
  check(q.index.weighting, q.index.elements, ['index'], q.index.model !== undefined);
  q.index.elements.forEach((element, e) => {
    check(element.weighting, element.indicators, ['index', 'elements', e], false);
    element.indicators.forEach((indicator, i) => check(indicator.weighting, indicator.questions, ['index', 'elements', e, 'indicators', i], false));
  });
}
