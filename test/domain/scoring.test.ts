import { describe, expect, it } from 'vitest';
import { validateQuestionnaire, type Questionnaire } from '../../functions/domain/questionnaire';
import { accumulate, emptyAccumulator, mergeAccumulators, ratingScore, responseElementScores, scoreTree, scoringPlan } from '../../functions/domain/scoring';
import { fixture } from '../helpers/platform';

const mini = (() => {
  const result = validateQuestionnaire(fixture('mini-csi.yaml'));
  if (!result.ok) throw new Error('fixture invalid');
  return result.questionnaire;
})();

describe('rating score', () => {
  it('maps the scale onto 0-100 and reverses', () => {
    expect(ratingScore(1, { min: 1, max: 5 })).toBe(0);
    expect(ratingScore(4, { min: 1, max: 5 })).toBe(75);
    expect(ratingScore(4, { min: 1, max: 5 }, true)).toBe(25);
    expect(ratingScore(7, { min: 0, max: 10 })).toBeCloseTo(70, 12);
  });
});

function scoresOf(q: Questionnaire, answerSets: Record<string, number>[]) {
  const plan = scoringPlan(q);
  const acc = emptyAccumulator();
  for (const answers of answerSets) accumulate(plan, acc, answers);
  return { acc, tree: scoreTree(q, acc) };
}

describe('scoring the tree', () => {
  it('computes weighted means and renormalises over present children (hand-computed)', () => {
    // r1 of the integration test: CSI (0.5 x 59.375 + 0.3 x 75) / 0.8.
    const { tree } = scoresOf(mini, [
      { q1: 5, q2: 4, q3: 2, q4: 5 },
      { q1: 3, q2: 3, q3: 4, q4: 3 },
      { q1: 4, q4: 4 },
    ]);
    expect(tree.n).toBe(3);
    expect(tree.csi).toBeCloseTo(65.234375, 12);
    expect(tree.elements.map((e) => e.score)).toEqual([59.375, 75, null]);
    expect(tree.notes).toContain('element "complaints" has no answers: it is absent and its siblings\' weights were renormalised');
    const speed = tree.elements[0]?.indicators[1];
    expect(speed).toMatchObject({ id: 'speed', score: 50, n: 2 });
  });

  it('returns a null CSI and says so when nothing was answered', () => {
    const { tree } = scoresOf(mini, [{}]);
    expect(tree.csi).toBeNull();
    expect(tree.n).toBe(1);
    expect(tree.elements.every((e) => e.score === null && e.n === 0)).toBe(true);
  });

  it('gives no sd or interval below two answers', () => {
    const { tree } = scoresOf(mini, [{ q1: 2 }]);
    const q1 = tree.elements[0]?.indicators[0]?.questions[0];
    expect(q1).toEqual({ id: 'q1', score: 25, mean: 2, n: 1, sd: null, ci95: null });
  });

  it('merging accumulators equals accumulating all responses at once', () => {
    const sets = Array.from({ length: 40 }, (_, i) => ({ q1: 1 + (i % 5), q2: 1 + ((i * 7) % 5), q3: 1 + ((i * 3) % 5), q4: 1 + ((i * 11) % 5) }));
    const plan = scoringPlan(mini);
    const left = emptyAccumulator();
    const right = emptyAccumulator();
    sets.forEach((s, i) => accumulate(plan, i < 13 ? left : right, s));
    const merged = scoreTree(mini, mergeAccumulators(left, right));
    const whole = scoresOf(mini, sets).tree;
    expect(merged.csi).toBeCloseTo(whole.csi as number, 12);
    const flat = (t: typeof whole) => t.elements.flatMap((e) => e.indicators.flatMap((i) => i.questions.map((q) => [q.n, q.score, q.sd])));
    flat(merged).forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(flat(whole)[i]?.[j] as number, 10)));
  });
});

describe('weighting declared in the questionnaire', () => {
  it('uses AHP weights for the elements (Saaty 3x3: 0.6370, 0.2583, 0.1047)', () => {
    const input = fixture('mini-csi.yaml') as any;
    for (const element of input.index.elements) delete element.weight;
    input.index.weighting = { method: 'ahp', matrix: [[1, 3, '5'], ['1/3', 1, 3], ['1/5', '1/3', 1]] };
    const result = validateQuestionnaire(input);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const { tree } = scoresOf(result.questionnaire, [{ q1: 5, q2: 5, q3: 1, q4: 1, q5: 3 }]);
    // quality 100, satisfaction 0, complaints 50 -> 100 w1 + 50 w3 with the principal eigenvector weights.
    expect(tree.csi).toBeCloseTo(100 * 0.6369855717447573 + 50 * 0.1047294338807478, 9);
  });

  it('says so when a data-driven weighting is not supplied, and uses supplied weights when it is', () => {
    const input = fixture('mini-csi.yaml') as any;
    input.index.elements[0].weighting = { method: 'entropy' };
    const result = validateQuestionnaire(input);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const answers = [{ q1: 5, q3: 3, q4: 3 }]; // staff 100, speed 100 - 50 = 50
    const plain = scoresOf(result.questionnaire, answers).tree;
    expect(plain.notes).toContain('"quality": entropy weights need the responses\' data; equal weights were used');
    expect(plain.elements[0]?.score).toBeCloseTo((100 + 50) / 2, 9);
    const plan = scoringPlan(result.questionnaire);
    const acc = emptyAccumulator();
    accumulate(plan, acc, answers[0] as Record<string, number>);
    const supplied = scoreTree(result.questionnaire, acc, { quality: { staff: 0.25, speed: 0.75 } });
    expect(supplied.notes.some((n) => n.includes('entropy'))).toBe(false);
    expect(supplied.elements[0]?.score).toBeCloseTo(0.25 * 100 + 0.75 * 50, 9);
  });
});

describe('responseElementScores', () => {
  it('equals scoreTree of an accumulator holding that one response, partial and reversed answers included', () => {
    const answerSets: Record<string, number>[] = [{ q1: 5, q2: 4, q3: 2, q4: 5 }, { q1: 1, q3: 5 }, { q4: 2, q5: 1 }, {}, { q2: 3, q3: 1, q5: 5 }];
    for (const answers of answerSets) {
      const expected = new Map(scoresOf(mini, [answers]).tree.elements.map((e) => [e.id, e.score]));
      expect(responseElementScores(mini, answers)).toEqual(expected);
    }
    // Hand-computed: quality = mean(staff = mean(100, 75), speed = reversed 2 -> 75) = 81.25.
    expect(responseElementScores(mini, { q1: 5, q2: 4, q3: 2 }).get('quality')).toBe(81.25);
  });
});
