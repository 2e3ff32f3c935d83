/**
 * The recommendations of the service-quality standards: warnings, never errors (the standards
 * recommend, they do not forbid).
 */
import { formatPath, type Problem } from '../errors';
import { gapQuestionIds } from '../gaps/questionnaire-checks';
import type { Questionnaire } from './schema';
import { forEachText } from './texts';

/** The standards recommend 20-30 questions; SERVQUAL 4-5 questions per criterion. */
export const RECOMMENDED_QUESTION_COUNT = { min: 20, max: 30 } as const;
export const SERVQUAL_QUESTIONS_PER_INDICATOR = { min: 4, max: 5 } as const;

/** Recommendations of the standards: warnings, never errors. */
export function lintQuestionnaire(q: Questionnaire): Problem[] {
  const warnings: Problem[] = [];
  const count = q.questions.length;
  if (count < RECOMMENDED_QUESTION_COUNT.min || count > RECOMMENDED_QUESTION_COUNT.max) {
    warnings.push({
      path: 'questions',
      message: `${count} questions; the standards recommend ${RECOMMENDED_QUESTION_COUNT.min}-${RECOMMENDED_QUESTION_COUNT.max}`,
    });
  }
  const inTree = new Set([...q.index.elements.flatMap((e) => e.indicators.flatMap((i) => i.questions)), ...gapQuestionIds(q)]);
  q.questions.forEach((question, i) => {
    if (question.type === 'rating' && !inTree.has(question.id)) {
      warnings.push({ path: formatPath(['questions', i]), message: `rating question "${question.id}" is not in the index tree and will not be scored` });
    }
  });
  forEachText(q, (text, path) => {
    for (const lang of Object.keys(text)) {
      if (!q.languages.includes(lang)) warnings.push({ path: formatPath(path), message: `text in undeclared language "${lang}" is never shown` });
    }
  });
  if (q.lint === 'servqual') {
    const { min, max } = SERVQUAL_QUESTIONS_PER_INDICATOR;
    q.index.elements.forEach((element, e) =>
      element.indicators.forEach((indicator, i) => {
        const n = indicator.questions.length;
        if (n < min || n > max) {
          warnings.push({
            path: formatPath(['index', 'elements', e, 'indicators', i, 'questions']),
            message: `indicator "${indicator.id}" has ${n} questions; SERVQUAL asks for ${min}-${max} per criterion`,
          });
        }
      }),
    );
  }
  return warnings;
}
