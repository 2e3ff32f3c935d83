/**
 * The sampling basis of the significance marks of aggregate nodes (indicators, elements, the CSI):
 * pairwise integer sums over a tree's questions, merged exactly, and the score and linearised
 * sampling variance of every inner node they give for any child weights.
 */
import { packedIndex } from './moments';

export type TreeNodeKind = 'index' | 'element' | 'indicator';


/**
 * Pairwise integer sums over the tree's questions (u = favourable units): for every pair (q, r),
 * over the responses that answered both, the count, the sum of u_q, and the sum of u_q u_r. Any
 * weighted mean of question means, and its sampling variance, follows from these; a parent's sums
 * minus a unit's are exactly the rest of the parent's.
 */
export interface SamplingAccumulator {
  /** Responses that answered at least one question below each node (inner nodes by id). */
  contributors: Record<string, number>;
  /** Packed upper triangle (with the diagonal) of pair counts. */
  n: number[];
  /** Full p x p: a[q p + r] = sum of u_q over the responses answering q and r. */
  a: number[];
  /** Packed upper triangle of sums of u_q u_r. */
  s: number[];
}

/** A unit's sampling basis as its report carries it, readable without the questionnaire. */
export interface SamplingBasis extends SamplingAccumulator {
  questions: string[];
  /** Scale range (max - min) of each question: score = 100 u / range. */
  ranges: number[];
  /** The tree's inner nodes in tree order (the index first). */
  tree: { id: string; kind: TreeNodeKind; children: string[] }[];
}

export function emptySampling(questions: number): SamplingAccumulator {
  const p = questions;
  return { contributors: {}, n: new Array<number>((p * (p + 1)) / 2).fill(0), a: new Array<number>(p * p).fill(0), s: new Array<number>((p * (p + 1)) / 2).fill(0) };
}

/**
 * Adds one response: `answered` holds (question position, favourable units) of every question it
 * answered, `nodes` the inner nodes with at least one of them below.
 */
export function addSamplingResponse(acc: SamplingAccumulator, p: number, answered: readonly (readonly [number, number])[], nodes: Iterable<string>): void {
  for (const [x, [i, ui]] of answered.entries()) {
    for (let y = x; y < answered.length; y++) {
      const [j, uj] = answered[y]!;
      const k = packedIndex(i, j, p);
      acc.n[k]! += 1;
      acc.s[k]! += ui * uj;
      acc.a[i * p + j]! += ui;
      if (i !== j) acc.a[j * p + i]! += uj;
    }
  }
  for (const node of nodes) acc.contributors[node] = (acc.contributors[node] ?? 0) + 1;
}

/** a + sign b, element by element (sign 0 copies a; -1 gives the rest of a parent without a unit). */
export function combineSampling(a: SamplingAccumulator, b: SamplingAccumulator, sign: 1 | 0 | -1): SamplingAccumulator {
  const add = (x: readonly number[], y: readonly number[]) => x.map((v, i) => v + sign * (y[i] ?? 0));
  const contributors: Record<string, number> = { ...a.contributors };
  if (sign !== 0) for (const [id, n] of Object.entries(b.contributors)) contributors[id] = (contributors[id] ?? 0) + sign * n;
  return { contributors, n: add(a.n, b.n), a: add(a.a, b.a), s: add(a.s, b.s) };
}

export interface NodeEstimate {
  /** Weighted mean of the question means (the tree's score). */
  score: number | null;
  /** Sampling variance of the score (linearised: weights fixed, pairwise-complete covariances). */
  variance: number | null;
  /** Responses that answered at least one question below the node. */
  n: number;
}

/**
 * Score and sampling variance of every inner node of a sampling basis, weighted with
 * `childWeights` (renormalised over the children that have answers, as the tree does). With
 * question means m_q, Cov(m_q, m_r) = s_qr n_qr / (n_q n_r) (s_qr the covariance over the n_qr
 * responses answering both), so Var(sum W_q m_q) = sum_q sum_r W_q W_r Cov(m_q, m_r).
 */
export function nodeEstimates(basis: SamplingBasis, childWeights: Readonly<Record<string, Record<string, number>>>): Map<string, NodeEstimate> {
  const p = basis.questions.length;
  const result = new Map<string, NodeEstimate>();
  const questionIndex = new Map(basis.questions.map((id, i) => [id, i]));
  const factor = basis.ranges.map((r) => 100 / r);
  const nq = (i: number) => basis.n[packedIndex(i, i, p)]!;
  const mean = basis.questions.map((_, i) => (nq(i) > 0 ? (factor[i]! * basis.a[i * p + i]!) / nq(i) : null));
  const covMeans = (i: number, j: number): number | null => {
    const n = basis.n[packedIndex(i, j, p)]!;
    if (i === j && n < 2) return null;
    if (n < 2) return 0;
    const cov = (factor[i]! * factor[j]! * (basis.s[packedIndex(i, j, p)]! - (basis.a[i * p + j]! * basis.a[j * p + i]!) / n)) / (n - 1);
    return (cov * n) / (nq(i) * nq(j));
  };
  // Effective question weights per node, children before parents.
  const effective = new Map<string, Map<number, number> | null>();
  for (const node of [...basis.tree].reverse()) {
    const parts = node.children.map((child) => {
      const w = childWeights[node.id]?.[child] ?? 0;
      if (node.kind === 'indicator') {
        const i = questionIndex.get(child);
        return { w, vector: i === undefined || mean[i] === null ? null : new Map([[i, 1]]) };
      }
      return { w, vector: effective.get(child) ?? null };
    });
    const present = parts.filter((part) => part.vector !== null);
    const total = present.reduce((s, part) => s + part.w, 0);
    if (present.length === 0 || !(total > 0)) {
      effective.set(node.id, null);
      continue;
    }
    const vector = new Map<number, number>();
    for (const part of present) for (const [i, w] of part.vector!) vector.set(i, (vector.get(i) ?? 0) + (part.w / total) * w);
    effective.set(node.id, vector);
  }
  for (const node of basis.tree) {
    const vector = effective.get(node.id);
    const n = basis.contributors[node.id] ?? 0;
    if (!vector) {
      result.set(node.id, { score: null, variance: null, n });
      continue;
    }
    const entries = [...vector].filter(([, w]) => w !== 0);
    const score = entries.reduce((s, [i, w]) => s + w * mean[i]!, 0);
    let variance: number | null = 0;
    for (const [i, wi] of entries) {
      for (const [j, wj] of entries) {
        const c = covMeans(i, j);
        if (c === null) {
          variance = null;
          break;
        }
        variance += wi * wj * c;
      }
      if (variance === null) break;
    }
    result.set(node.id, { score, variance: variance === null ? null : Math.max(0, variance), n });
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
