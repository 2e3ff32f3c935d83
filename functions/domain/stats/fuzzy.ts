/**
 * Fuzzy comprehensive evaluation (模糊综合评价) over the indicator tree: a question's membership
 * vector is the share of its answers in each grade; a parent's vector is the weighted sum of its
 * children's vectors (operator M(., +)); each node is scored by vector . grade scores and graded
 * by maximum membership (最大隶属度).
 */
import { sum } from 'simple-statistics';
import { StatisticsInputError } from './data';

export interface FuzzyGrade {
  label: string;
  score: number;
}

/** The default grades, best first: 很满意 / 满意 / 一般 / 不满意 / 很不满意. */
export const DEFAULT_FUZZY_GRADES: readonly FuzzyGrade[] = [
  { label: 'very satisfied', score: 100 },
  { label: 'satisfied', score: 80 },
  { label: 'neutral', score: 60 },
  { label: 'dissatisfied', score: 40 },
  { label: 'very dissatisfied', score: 20 },
];

/** Maps an answer to the index of its grade (0 = the first, best grade). */
export type GradeOf = (answer: number) => number;

/**
 * The usual mapping of a rating scale onto grades listed best first: the scale is laid linearly
 * onto the grades, the top of the scale on grade 0, and each answer goes to the nearest grade
 * (a value exactly half-way goes to the worse grade). A 1..5 scale onto five grades is exact
 * (5 -> very satisfied .. 1 -> very dissatisfied); 0..10 onto five gives {10,9}, {8,7}, {6,5,4}, {3,2}, {1,0}.
 */
export function linearGradeMapping(scale: { min: number; max: number }, gradeCount: number): GradeOf {
  if (!(scale.max > scale.min)) throw new StatisticsInputError(`the scale ${scale.min}..${scale.max} is empty`);
  if (!Number.isInteger(gradeCount) || gradeCount < 2) {
    throw new StatisticsInputError(`need at least 2 grades, got ${gradeCount}`);
  }
  return (answer) => {
    if (!(answer >= scale.min && answer <= scale.max)) {
      throw new StatisticsInputError(`answer ${answer} is outside the scale ${scale.min}..${scale.max}`);
    }
    // Multiply before dividing: for integer scales the half-way points then come out exact.
    return Math.round(((scale.max - answer) * (gradeCount - 1)) / (scale.max - scale.min));
  };
}

/** A mapping given explicitly, answer value -> grade index (for scales that do not map linearly). */
export function explicitGradeMapping(mapping: Readonly<Record<string, number>>): GradeOf {
  return (answer) => {
    const grade = mapping[String(answer)];
    if (grade === undefined) throw new StatisticsInputError(`answer ${answer} has no grade in the mapping`);
    return grade;
  };
}

/** Share of the answers in each grade; null when there are no answers (nothing to evaluate). */
export function membershipVector(answers: readonly number[], gradeOf: GradeOf, gradeCount: number): number[] | null {
  if (answers.length === 0) return null;
  const counts = new Array<number>(gradeCount).fill(0);
  for (const answer of answers) {
    const grade = gradeOf(answer);
    if (!Number.isInteger(grade) || grade < 0 || grade >= gradeCount) {
      throw new StatisticsInputError(`answer ${answer} maps to grade ${grade}, outside 0..${gradeCount - 1}`);
    }
    counts[grade]! += 1;
  }
  return counts.map((count) => count / answers.length);
}

/** A node of the tree to evaluate: a leaf carries its membership vector, an inner node its children. */
export type FuzzyTreeNode =
  | { id: string; membership: readonly number[] | null }
  | { id: string; children: readonly { weight: number; node: FuzzyTreeNode }[] };

export interface FuzzyNodeResult {
  id: string;
  parentId: string | null;
  /** The node's membership in each grade (sums to 1); null when no child had any answers. */
  membership: number[] | null;
  /** membership . grade scores. */
  score: number | null;
  /** Index and label of the grade of maximum membership (ties go to the better grade). */
  gradeIndex: number | null;
  grade: string | null;
}

export interface FuzzyEvaluation {
  /** Every node, parents before children, in tree order. */
  nodes: FuzzyNodeResult[];
  warnings: string[];
}

/**
 * Evaluates the tree. Children's weights must be non-negative; they are normalised over the
 * children that have a vector, so a question nobody answered neither counts as 0 nor shifts the
 * parent towards a grade (a warning says which). Leaf vectors must have one share per grade.
 */
export function fuzzyEvaluate(root: FuzzyTreeNode, grades: readonly FuzzyGrade[] = DEFAULT_FUZZY_GRADES): FuzzyEvaluation {
  if (grades.length < 2) throw new StatisticsInputError('fuzzy evaluation needs at least 2 grades');
  const nodes: FuzzyNodeResult[] = [];
  const warnings: string[] = [];

  const visit = (node: FuzzyTreeNode, parentId: string | null): number[] | null => {
    const result: FuzzyNodeResult = { id: node.id, parentId, membership: null, score: null, gradeIndex: null, grade: null };
    nodes.push(result);
    let membership: number[] | null;
    if ('membership' in node) {
      if (node.membership && node.membership.length !== grades.length) {
        throw new StatisticsInputError(
          `node "${node.id}" has ${node.membership.length} membership shares for ${grades.length} grades`,
        );
      }
      membership = node.membership ? [...node.membership] : null;
    } else {
      if (node.children.length === 0) throw new StatisticsInputError(`node "${node.id}" has no children`);
      const evaluated = node.children.map(({ weight, node: child }) => {
        if (!(weight >= 0) || !Number.isFinite(weight)) {
          throw new StatisticsInputError(`the weight of "${child.id}" under "${node.id}" is ${weight}, not a non-negative number`);
        }
        return { weight, id: child.id, membership: visit(child, node.id) };
      });
      const present = evaluated.filter((child) => child.membership !== null);
      const missing = evaluated.filter((child) => child.membership === null).map((child) => `"${child.id}"`);
      if (missing.length > 0 && present.length > 0) {
        warnings.push(`"${node.id}": ${missing.join(', ')} had no answers; the other children's weights were renormalised`);
      }
      const totalWeight = sum(present.map((child) => child.weight));
      if (present.length === 0 || !(totalWeight > 0)) {
        membership = null;
      } else {
        membership = grades.map((_, g) => sum(present.map((child) => (child.weight / totalWeight) * child.membership![g]!)));
      }
    }
    if (membership) {
      result.membership = membership;
      result.score = sum(membership.map((share, g) => share * grades[g]!.score));
      let best = 0;
      // Shares that differ only by rounding count as tied; a tie goes to the better (earlier) grade.
      membership.forEach((share, g) => {
        if (share > membership![best]! + 1e-12) best = g;
      });
      result.gradeIndex = best;
      result.grade = grades[best]!.label;
    }
    return membership;
  };

  visit(root, null);
  return { nodes, warnings };
}
