import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FUZZY_GRADES,
  explicitGradeMapping,
  fuzzyEvaluate,
  linearGradeMapping,
  membershipVector,
} from '../../functions/domain/stats/fuzzy';

const fivePoint = linearGradeMapping({ min: 1, max: 5 }, 5);

describe('membership vectors', () => {
  it('maps a 1..5 scale onto the five default grades, 5 = very satisfied', () => {
    expect([5, 4, 3, 2, 1].map(fivePoint)).toEqual([0, 1, 2, 3, 4]);
    expect(DEFAULT_FUZZY_GRADES.map((grade) => grade.score)).toEqual([100, 80, 60, 40, 20]);
  });

  it('maps a 0..10 scale onto five grades by nearest grade, half-way to the worse one', () => {
    const eleven = linearGradeMapping({ min: 0, max: 10 }, 5);
    expect([10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0].map(eleven)).toEqual([0, 0, 1, 1, 2, 2, 2, 3, 3, 4, 4]);
    // 0..10 onto 4 grades: 5 is half-way between grade 1 (6.67) and 2 (3.33): 1.5 -> grade 2.
    expect(linearGradeMapping({ min: 0, max: 10 }, 4)(5)).toBe(2);
    expect(() => eleven(11)).toThrow('answer 11 is outside the scale 0..10');
  });

  it('counts shares per grade', () => {
    // 10 answers: 5 x3, 4 x4, 3 x2, 1 x1 -> (0.3, 0.4, 0.2, 0, 0.1).
    expect(membershipVector([5, 5, 5, 4, 4, 4, 4, 3, 3, 1], fivePoint, 5)).toEqual([0.3, 0.4, 0.2, 0, 0.1]);
    expect(membershipVector([], fivePoint, 5)).toBeNull();
  });

  it('uses an explicit mapping for scales that are not linear', () => {
    const yesNo = explicitGradeMapping({ 1: 0, 0: 4 });
    expect(membershipVector([1, 1, 1, 0], yesNo, 5)).toEqual([0.75, 0, 0, 0, 0.25]);
    expect(() => yesNo(2)).toThrow('answer 2 has no grade');
  });
});

describe('fuzzy comprehensive evaluation', () => {
  // Hand computation, operator M(., +):
  //  q1 = (0.3, 0.4, 0.2, 0, 0.1), q2 = (0.1, 0.2, 0.5, 0.2, 0), indicator = 0.6 q1 + 0.4 q2
  //     = (0.18 + 0.04, 0.24 + 0.08, 0.12 + 0.20, 0 + 0.08, 0.06 + 0) = (0.22, 0.32, 0.32, 0.08, 0.06)
  //  score(q1) = 30 + 32 + 12 + 0 + 2 = 76; score(q2) = 10 + 16 + 30 + 8 = 64
  //  score(indicator) = 22 + 25.6 + 19.2 + 3.2 + 1.2 = 71.2 (= 0.6 x 76 + 0.4 x 64)
  //  q3 = (0.5, 0.5, 0, 0, 0): score 90; element = 0.5 indicator + 0.5 q3
  //     = (0.36, 0.41, 0.16, 0.04, 0.03), score 80.6, maximum membership: satisfied.
  const tree = {
    id: 'element',
    children: [
      {
        weight: 0.5,
        node: {
          id: 'indicator',
          children: [
            { weight: 0.6, node: { id: 'q1', membership: [0.3, 0.4, 0.2, 0, 0.1] } },
            { weight: 0.4, node: { id: 'q2', membership: [0.1, 0.2, 0.5, 0.2, 0] } },
          ],
        },
      },
      { weight: 0.5, node: { id: 'q3', membership: [0.5, 0.5, 0, 0, 0] } },
    ],
  };

  it('matches the hand computation at every node', () => {
    const { nodes, warnings } = fuzzyEvaluate(tree);
    expect(warnings).toEqual([]);
    expect(nodes.map((node) => [node.id, node.parentId])).toEqual([
      ['element', null],
      ['indicator', 'element'],
      ['q1', 'indicator'],
      ['q2', 'indicator'],
      ['q3', 'element'],
    ]);
    const byId = Object.fromEntries(nodes.map((node) => [node.id, node]));
    const expectVector = (actual: number[] | null, expected: number[]) =>
      expected.forEach((share, g) => expect(actual![g]).toBeCloseTo(share, 12));
    expectVector(byId.indicator!.membership, [0.22, 0.32, 0.32, 0.08, 0.06]);
    expect(byId.q1!.score).toBeCloseTo(76, 10);
    expect(byId.q2!.score).toBeCloseTo(64, 10);
    expect(byId.indicator!.score).toBeCloseTo(71.2, 10);
    expectVector(byId.element!.membership, [0.36, 0.41, 0.16, 0.04, 0.03]);
    expect(byId.element!.score).toBeCloseTo(80.6, 10);
    expect(byId.element!.grade).toBe('satisfied');
    expect(byId.q2!.grade).toBe('neutral');
  });

  it('breaks a tie of maximum membership towards the better grade', () => {
    // indicator = (0.22, 0.32, 0.32, ...): satisfied and neutral tie.
    const { nodes } = fuzzyEvaluate(tree);
    expect(nodes.find((node) => node.id === 'indicator')!.gradeIndex).toBe(1);
  });

  it('normalises weights over the children that have answers, with a warning', () => {
    const { nodes, warnings } = fuzzyEvaluate({
      id: 'indicator',
      children: [
        { weight: 0.6, node: { id: 'q1', membership: [0.3, 0.4, 0.2, 0, 0.1] } },
        { weight: 0.4, node: { id: 'q2', membership: null } },
      ],
    });
    expect(nodes[0]!.membership).toEqual([0.3, 0.4, 0.2, 0, 0.1]);
    expect(nodes[1]!.score).toBeCloseTo(76, 10);
    expect(nodes[2]!.membership).toBeNull();
    expect(warnings).toEqual(['"indicator": "q2" had no answers; the other children\'s weights were renormalised']);
  });

  it('takes configurable grades and rejects vectors of the wrong length', () => {
    const grades = [
      { label: 'good', score: 90 },
      { label: 'fair', score: 70 },
      { label: 'poor', score: 40 },
    ];
    const { nodes } = fuzzyEvaluate({ id: 'q', membership: [0.2, 0.3, 0.5] }, grades);
    expect(nodes[0]!.score).toBeCloseTo(18 + 21 + 20, 10);
    expect(nodes[0]!.grade).toBe('poor');
    expect(() => fuzzyEvaluate({ id: 'q', membership: [1, 0] }, grades)).toThrow('node "q" has 2 membership shares for 3 grades');
    expect(() =>
      fuzzyEvaluate({ id: 'p', children: [{ weight: -1, node: { id: 'q', membership: [1, 0, 0] } }] }, grades),
    ).toThrow('the weight of "q" under "p" is -1');
  });
});
