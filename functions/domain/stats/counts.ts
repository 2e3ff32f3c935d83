/** Answer counts per question and scale value (fuzzy evaluation, top-2-box, NPS), merged exactly. */

/** Per question, the number of answers of each scale value. */
export type AnswerCounts = Record<string, Record<string, number>>;

/** Counts one answer of a question. */
export function countAnswer(acc: AnswerCounts, questionId: string, value: number): void {
  const counts = (acc[questionId] ??= {});
  counts[String(value)] = (counts[String(value)] ?? 0) + 1;
}

export function mergeCounts(a: AnswerCounts, b: AnswerCounts): AnswerCounts {
  const result: AnswerCounts = {};
  for (const source of [a, b]) {
    for (const [id, counts] of Object.entries(source)) {
      const target = (result[id] ??= {});
      for (const [value, count] of Object.entries(counts)) target[value] = (target[value] ?? 0) + count;
    }
  }
  return result;
}

export const copyCounts = (json: unknown): AnswerCounts => mergeCounts({}, (json ?? {}) as AnswerCounts);
