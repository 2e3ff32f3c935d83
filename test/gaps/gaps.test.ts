/**
 * The gap scoring contract checked against hand computations on fixtures/mini-servqual.yaml.
 *
 * Customers (answers on 1-7; r1a is r1's minimum acceptable level; imp spreads 100 points):
 *   A: r1 E7 P5 a4 | r2 E6 P6 | m1 E5 P6 | imp rel 60 emp 40
 *   B: r1 E6 P6 a5 | r2 E7 P4 | m1 E6 P4 | imp rel 70 emp 30
 *   C: r1 E5 P6 a3 | r2 E5 P5 | m1 E4 P7 | (no allocation)
 *   D: r1 E7 P4    | -        | -        | imp rel 50 emp 50
 * Management (audience management, expectation items only): M1 r1 6, r2 5, m1 6; M2 r1 5, r2 6, m1 4.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  accumulateGaps,
  computeGaps,
  emptyGapAccumulator,
  gapPlan,
  mergeGapAccumulators,
  satisfactionState,
  scoreGaps,
  NoGapModelError,
  type GapRespondent,
} from '../../functions/domain/gaps';
import { validateQuestionnaire, type Questionnaire, type QuestionnaireInput } from '../../functions/domain/questionnaire';
import { readQuestionnaireFile } from '../../functions/shared/questionnaire-files';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

function loadMini(): Questionnaire {
  const result = readQuestionnaireFile(fixture('mini-servqual.yaml'));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.questionnaire;
}

const customers: GapRespondent[] = [
  { answers: { r1e: 7, r1p: 5, r1a: 4, r2e: 6, r2p: 6, m1e: 5, m1p: 6, imp: { rel: 60, emp: 40 } } },
  { answers: { r1e: 6, r1p: 6, r1a: 5, r2e: 7, r2p: 4, m1e: 6, m1p: 4, imp: { rel: 70, emp: 30 } }, audience: 'customer' },
  { answers: { r1e: 5, r1p: 6, r1a: 3, r2e: 5, r2p: 5, m1e: 4, m1p: 7, note: 'fine' } },
  { answers: { r1e: 7, r1p: 4, imp: { rel: 50, emp: 50 } } },
];
const managers: GapRespondent[] = [
  { answers: { r1e: 6, r2e: 5, m1e: 6 }, audience: 'management' },
  { answers: { r1e: 5, r2e: 6, m1e: 4 }, audience: 'management' },
];

/** The mini questionnaire with its gap model changed (for the weighting variants). */
function variant(change: (input: QuestionnaireInput) => void): Questionnaire {
  const input = parse(readFileSync(fixture('mini-servqual.yaml'), 'utf8')) as QuestionnaireInput;
  change(input);
  const result = validateQuestionnaire(input);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.questionnaire;
}

describe('gap scoring (hand-computed example)', () => {
  const report = computeGaps(loadMini(), [...customers, ...managers]);

  it('scores each item over the respondents who answered both, with a paired t-test', () => {
    const [r1, r2, m1] = report.items;
    // r1: pairs (7,5) (6,6) (5,6) (7,4): E = 25/4, P = 21/4, d = -2, 0, 1, -3 -> gap -1, n 4;
    // t = -1.0954451 (3 df), p = 0.3533875, CI -1 -/+ 3.1824463 x 0.9128709 (see paired-t.test.ts).
    expect(r1).toMatchObject({ id: 'r1', dimension: 'rel', E: 6.25, P: 5.25, gap: -1, n: 4 });
    expect(r1?.t).toBeCloseTo(-1.0954451150103324, 10);
    expect(r1?.p).toBeCloseTo(0.35338746628869777, 9);
    expect(r1?.ci95?.[0]).toBeCloseTo(-3.905162715754765, 8);
    expect(r1?.ci95?.[1]).toBeCloseTo(1.905162715754765, 8);
    // r2: (6,6) (7,4) (5,5): E 6, P 5, d = 0, -3, 0 -> mean -1, sd sqrt(3), se 1, t = -1 with 2 df;
    // with 2 df, two-sided p = 1 - |t| / sqrt(2 + t^2) = 1 - 1/sqrt(3) = 0.4226497;
    // t(0.975, 2) = 4.3026527 -> CI (-5.3026527, 3.3026527). scipy.stats.ttest_rel agrees.
    expect(r2).toMatchObject({ id: 'r2', E: 6, P: 5, gap: -1, n: 3, t: -1 });
    expect(r2?.p).toBeCloseTo(1 - 1 / Math.sqrt(3), 10);
    expect(r2?.ci95?.[0]).toBeCloseTo(-5.302652729749462, 8);
    // m1: (5,6) (6,4) (4,7): E 5, P 17/3, d = 1, -2, 3 -> mean 2/3; squared deviations 114/9,
    // sd 2.5166115, se 1.4529663, t = 0.4588315, p = 1 - t / sqrt(2 + t^2) = 0.6913933.
    expect(m1?.E).toBe(5);
    expect(m1?.P).toBeCloseTo(17 / 3, 12);
    expect(m1?.gap).toBeCloseTo(2 / 3, 12);
    expect(m1?.t).toBeCloseTo(0.4588314677411235, 10);
    expect(m1?.p).toBeCloseTo(0.6913933000758161, 9);
    expect(m1?.ci95?.[1]).toBeCloseTo(6.918276146042442, 8);
  });

  it('takes dimension values as means of their items and the unweighted overall as the mean of dimension gaps', () => {
    // rel: E (6.25 + 6)/2, P (5.25 + 5)/2, gap (-1 + -1)/2; emp: the single item m1.
    expect(report.dimensions[0]).toMatchObject({ id: 'rel', E: 6.125, P: 5.125, gap: -1 });
    expect(report.dimensions[1]?.gap).toBeCloseTo(2 / 3, 12);
    // (-1 + 2/3) / 2
    expect(report.overall.unweighted).toBeCloseTo(-1 / 6, 12);
  });

  it("weights each respondent's dimension gaps by that respondent's allocation", () => {
    // Per respondent (dimension gap = mean of that respondent's item gaps in it):
    //   A: rel (-2 + 0)/2 = -1, emp +1 -> 0.6 x -1 + 0.4 x 1 = -0.2
    //   B: rel (0 - 3)/2 = -1.5, emp -2 -> 0.7 x -1.5 + 0.3 x -2 = -1.65
    //   C: every dimension but no allocation; D: an allocation but no emp -> neither counts.
    // Weighted overall = (-0.2 - 1.65) / 2 = -0.925.
    expect(report.overall.weightedBy).toBe('allocation');
    expect(report.overall.weighted).toBeCloseTo(-0.925, 12);
    expect(report.overall.weightedN).toBe(2);
    // The weights shown per dimension: mean points / 100 over A, B, D: rel (60+70+50)/300, emp (40+30+50)/300.
    expect(report.dimensions[0]?.weight).toBeCloseTo(0.6, 12);
    expect(report.dimensions[1]?.weight).toBeCloseTo(0.4, 12);
  });

  it('classifies respondents by their unweighted overall gap against the tolerance 0.5', () => {
    // A: (-1 + 1)/2 = 0 -> basically satisfied; B: (-1.5 - 2)/2 = -1.75 -> dissatisfied;
    // C: (0.5 + 3)/2 = 1.75 -> highly satisfied; D lacks emp and is not classified.
    expect(report.states).toEqual({
      highlySatisfied: 1 / 3,
      basicallySatisfied: 1 / 3,
      dissatisfied: 1 / 3,
      n: 3,
      counts: { highlySatisfied: 1, basicallySatisfied: 1, dissatisfied: 1 },
    });
  });

  it('gives the zone of tolerance of items with an adequate level', () => {
    // r1 with a4/a5/a3 (D has none): adequate mean 4; MSA = mean(P - a) = (1 + 1 + 3)/3; MSS = P - E = gap -1.
    expect(report.tolerance.band).toBe(0.5);
    expect(report.tolerance.items).toHaveLength(1);
    const zone = report.tolerance.items[0];
    expect(zone).toMatchObject({ id: 'r1', adequate: 4, desired: 6.25, perceived: 5.25, mss: -1, n: 3, position: 'within tolerance' });
    expect(zone?.msa).toBeCloseTo(5 / 3, 12);
  });

  it('places items on the importance-performance grid (importance = mean E), split at the means', () => {
    // Importance mean (6.25 + 6 + 5)/3 = 5.75; performance mean (5.25 + 5 + 17/3)/3 = 5.3056.
    expect(report.ipa.map((i) => [i.id, i.quadrant])).toEqual([
      ['r1', 'concentrate here'],
      ['r2', 'concentrate here'],
      ['m1', 'possible overkill'],
    ]);
  });

  it('uses driver importance on the IPA grid when given', () => {
    const withDrivers = computeGaps(loadMini(), customers, { importance: { r1: 0.1, r2: 0.5, m1: 0.4 } });
    // Importance mean 1/3: r1 low, r2 and m1 high; performance as before.
    expect(withDrivers.ipa.map((i) => i.quadrant)).toEqual(['low priority', 'concentrate here', 'keep up the good work']);
  });

  it("computes gap 1 from management's expectation answers against the customers'", () => {
    // Management r1 (6+5)/2 = 5.5 against 6.25; r2 5.5 against 6; m1 5 against 5.
    expect(report.gap1).toEqual([
      { id: 'r1', dimension: 'rel', management: 5.5, customers: 6.25, gap1: -0.75, nManagement: 2, nCustomers: 4 },
      { id: 'r2', dimension: 'rel', management: 5.5, customers: 6, gap1: -0.5, nManagement: 2, nCustomers: 3 },
      { id: 'm1', dimension: 'emp', management: 5, customers: 5, gap1: 0, nManagement: 2, nCustomers: 3 },
    ]);
    expect(report.managementRespondents).toBe(2);
    expect(report.respondents).toBe(4);
  });

  it('reports the gap to target and the lead over the competitor per dimension', () => {
    // rel: -1 against target -0.5 and competitor -1.2; emp: 2/3 against target 0, no competitor.
    expect(report.benchmarks[0]).toMatchObject({ id: 'rel', value: -1, target: -0.5, toTarget: -0.5, competitor: -1.2 });
    expect(report.benchmarks[0]?.lead).toBeCloseTo(0.2, 12);
    expect(report.benchmarks[1]).toMatchObject({ id: 'emp', target: 0, competitor: null, lead: null });
    expect(report.benchmarks[1]?.toTarget).toBeCloseTo(2 / 3, 12);
  });

  it('merges unit accumulators into exactly the figures of all responses together', () => {
    const plan = gapPlan(loadMini());
    const unitA = emptyGapAccumulator();
    const unitB = emptyGapAccumulator();
    [customers[0], managers[0], customers[2]].forEach((r) => accumulateGaps(plan, unitA, r as GapRespondent));
    [customers[1], customers[3], managers[1]].forEach((r) => accumulateGaps(plan, unitB, r as GapRespondent));
    // Accumulators are stored as JSON between runs.
    const stored = JSON.parse(JSON.stringify(unitB));
    const merged = scoreGaps(plan, mergeGapAccumulators(unitA, stored));
    expect(merged.items.map((i) => [i.E, i.P, i.n])).toEqual(report.items.map((i) => [i.E, i.P, i.n]));
    merged.items.forEach((item, k) => {
      expect(item.gap).toBeCloseTo(report.items[k]?.gap as number, 12);
      expect(item.t).toBeCloseTo(report.items[k]?.t as number, 10);
    });
    expect(merged.states).toEqual(report.states);
    expect(merged.overall.weighted).toBeCloseTo(-0.925, 12);
    expect(merged.gap1).toEqual(report.gap1);
    // Merging does not change its inputs.
    expect(scoreGaps(plan, unitA).respondents).toBe(2);
  });

  it('ignores answers off the scale and allocations that do not add up', () => {
    const odd = computeGaps(loadMini(), [
      { answers: { r1e: 9, r1p: 5, m1e: 5, m1p: 6 } },
      { answers: { r1e: 6, r1p: 5, m1e: 5, m1p: 5, imp: { rel: 60, emp: 30 } } },
    ]);
    expect(odd.items[0]).toMatchObject({ n: 1, E: 6, P: 5 });
    expect(odd.overall.weighted).toBeNull();
    expect(odd.notes.join(' ')).toMatch(/importance question "imp"/);
  });
});

describe('weighting variants and SERVPERF', () => {
  it('uses the fixed dimension weights without an importance question', () => {
    const fixed = variant((q) => {
      delete q.gaps!.importance;
      q.gaps!.dimensions[0]!.weight = 0.7;
      q.gaps!.dimensions[1]!.weight = 0.3;
    });
    const report = computeGaps(fixed, customers);
    // 0.7 x -1 + 0.3 x 2/3 = -0.5
    expect(report.overall.weightedBy).toBe('fixed');
    expect(report.overall.weighted).toBeCloseTo(-0.5, 12);
    expect(report.dimensions.map((d) => d.weight)).toEqual([0.7, 0.3]);
  });

  it('has no weighted overall without importance or weights', () => {
    const none = variant((q) => {
      delete q.gaps!.importance;
    });
    const report = computeGaps(none, customers);
    expect(report.overall).toMatchObject({ weighted: null, weightedBy: null });
    expect(report.dimensions.map((d) => d.weight)).toEqual([null, null]);
  });

  it('scores perceptions only under SERVPERF, without states', () => {
    const servperf = variant((q) => {
      q.gaps!.model = 'servperf';
      delete q.gaps!.importance;
      for (const dimension of q.gaps!.dimensions) for (const item of dimension.items) delete item.expectation;
    });
    const report = computeGaps(servperf, customers);
    // r1 P over all four perception answers: (5 + 6 + 6 + 4)/4; r2 (6 + 4 + 5)/3; m1 17/3.
    expect(report.items.map((i) => [i.id, i.E, i.gap, i.n])).toEqual([
      ['r1', null, null, 4],
      ['r2', null, null, 3],
      ['m1', null, null, 3],
    ]);
    expect(report.overall.basis).toBe('perception');
    // (mean(5.25, 5) + 17/3) / 2
    expect(report.overall.unweighted).toBeCloseTo((5.125 + 17 / 3) / 2, 12);
    expect(report.states).toMatchObject({ n: 0, highlySatisfied: null });
    expect(report.gap1).toEqual([]);
  });

  it('refuses a questionnaire without a gap model', () => {
    const plain = variant((q) => {
      delete q.gaps;
      q.questions = q.questions.filter((x) => x.type !== 'allocation');
    });
    expect(() => gapPlan(plain)).toThrow(NoGapModelError);
  });
});

describe('satisfaction states', () => {
  it('counts a gap on the tolerance boundary as basically satisfied', () => {
    expect(satisfactionState(0.5, 0.5)).toBe('basicallySatisfied');
    expect(satisfactionState(-0.5, 0.5)).toBe('basicallySatisfied');
    expect(satisfactionState(0.5001, 0.5)).toBe('highlySatisfied');
    expect(satisfactionState(-0.5001, 0.5)).toBe('dissatisfied');
    // Tolerance 0: perceived = expected is basically satisfied, even through rounding of means.
    expect(satisfactionState((0.1 + 0.2 - 0.3) / 3, 0)).toBe('basicallySatisfied');
    expect(satisfactionState(1 / 7, 0)).toBe('highlySatisfied');
  });
});
