/**
 * The questionnaire's cross-checks of its gap model (gaps:), and the questions that model claims.
 * They live beside the gap domain because they state what gap scoring requires: paired rating
 * questions on one scale, unique dimensions and items, an importance allocation over exactly the
 * dimensions. The questionnaire's cross-checks call them.
 */
import { checkSiblingWeights, duplicates, type PathProblem } from '../questionnaire/path-problems';
import type { GapModel, Question, Questionnaire } from '../questionnaire/schema';

/** Unique dimensions and items, sibling weights, the items' questions and the importance allocation, as problems under gaps. */
export function checkGaps(gaps: GapModel, questionsById: ReadonlyMap<string, Question>, problems: PathProblem[]): void {
  duplicates(gaps.dimensions, (d) => d.id, (d, id) => problems.push({ path: ['gaps', 'dimensions', d, 'id'], message: `duplicate dimension "${id}"` }));
  checkSiblingWeights(gaps.dimensions, ['gaps', 'dimensions'], problems);
  const seenItems = new Set<string>();
  gaps.dimensions.forEach((dimension, d) =>
    dimension.items.forEach((item, i) => {
      const path = ['gaps', 'dimensions', d, 'items', i];
      if (seenItems.has(item.id)) problems.push({ path: [...path, 'id'], message: `duplicate gap item "${item.id}"` });
      seenItems.add(item.id);
      if (gaps.model === 'servqual' && !item.expectation) {
        problems.push({ path: [...path, 'expectation'], message: 'a SERVQUAL item pairs an expectation with a perception' });
      }
      let scale: string | undefined;
      for (const role of ['expectation', 'perception', 'adequate'] as const) {
        const questionId = item[role];
        if (!questionId) continue;
        const question = questionsById.get(questionId);
        if (!question) {
          problems.push({ path: [...path, role], message: `unknown question "${questionId}"` });
        } else if (question.type !== 'rating') {
          problems.push({ path: [...path, role], message: `question "${questionId}" is a ${question.type} question; gap items are rating questions` });
        } else if (scale !== undefined && question.scale !== scale) {
          problems.push({ path: [...path, role], message: `question "${questionId}" uses scale "${question.scale}", its pair uses "${scale}": both must be on the same scale` });
        } else {
          scale = question.scale;
        }
      }
    }),
  );
  if (gaps.importance) {
    const question = questionsById.get(gaps.importance);
    if (!question || question.type !== 'allocation') {
      problems.push({ path: ['gaps', 'importance'], message: `"${gaps.importance}" is not an allocation question` });
    } else {
      const allocated = question.dimensions.map((d) => d.id).sort();
      const declared = gaps.dimensions.map((d) => d.id).sort();
      if (allocated.join(',') !== declared.join(',')) {
        problems.push({ path: ['gaps', 'importance'], message: `allocation "${question.id}" spreads points over ${allocated.join(', ')}; the gap dimensions are ${declared.join(', ')}` });
      }
    }
  }
}

/** Questions the gap model uses: they are scored there, so they need not sit in the index tree. */
export function gapQuestionIds(q: Questionnaire): Set<string> {
  const ids = new Set<string>();
  for (const dimension of q.gaps?.dimensions ?? []) {
    for (const item of dimension.items) for (const id of [item.expectation, item.perception, item.adequate]) if (id) ids.add(id);
  }
  if (q.gaps?.importance) ids.add(q.gaps.importance);
  return ids;
}
