import type { Questionnaire } from './schema';

/** Visits every localised text with its path, so translations can be checked in one place. */
export function forEachText(q: Questionnaire, visit: (text: Record<string, string>, path: (string | number)[]) => void): void {
  visit(q.title, ['title']);
  if (q.description) visit(q.description, ['description']);
  for (const [scaleId, scale] of Object.entries(q.scales)) {
    for (const [value, label] of Object.entries(scale.labels ?? {})) visit(label, ['scales', scaleId, 'labels', value]);
  }
  visit(q.index.title, ['index', 'title']);
  q.index.elements.forEach((element, e) => {
    visit(element.title, ['index', 'elements', e, 'title']);
    element.indicators.forEach((indicator, i) => visit(indicator.title, ['index', 'elements', e, 'indicators', i, 'title']));
  });
  q.questions.forEach((question, i) => {
    visit(question.text, ['questions', i, 'text']);
    if (question.help) visit(question.help, ['questions', i, 'help']);
    if (question.type === 'choice') question.options.forEach((option, o) => visit(option.text, ['questions', i, 'options', o, 'text']));
    if (question.type === 'allocation') {
      question.dimensions.forEach((dimension, d) => {
        if (dimension.text) visit(dimension.text, ['questions', i, 'dimensions', d, 'text']);
      });
    }
  });
  q.gaps?.dimensions.forEach((dimension, d) => {
    if (dimension.title) visit(dimension.title, ['gaps', 'dimensions', d, 'title']);
  });
}
