/**
 * The path model as a caller writes it (blocks of items, outer modes, inner paths, options), and its
 * checked, index-based form that the estimation works with.
 */
import { PlsInputError } from './errors';

/** Mode A: reflective block (weights are covariances with the inner estimate); mode B: formative
 *  block (weights are the multiple-regression coefficients of the inner estimate on the items). */
export type OuterMode = 'A' | 'B';
export type InnerScheme = 'centroid' | 'factorial' | 'path';

export interface PlsModel {
  /** Latent variable name -> its items (column names). The order of the blocks is the order of
   *  the latent variables in every result. */
  blocks: Readonly<Record<string, readonly string[]>>;
  /** Outer mode per latent variable; missing ones are mode A. */
  modes?: Readonly<Record<string, OuterMode>>;
  /** Inner paths as [from, to] pairs; they must form a directed acyclic graph. */
  paths: ReadonlyArray<readonly [string, string]>;
}

export interface PlsOptions {
  /** Inner weighting scheme (plspm's default: centroid). */
  scheme?: InnerScheme;
  /** true: items are standardised (population sd) before estimation; false: only centred, and
   *  the reported weights are unstandardised (they apply to the centred raw items). Default true. */
  scaled?: boolean;
  /** Convergence threshold on sum((|w_old| - |w_new|)^2); plspm accepts (0, 0.001]. Default 1e-6. */
  tol?: number;
  /** Iteration cap; reaching it without convergence is a PlsConvergenceError. Default 100. */
  maxIter?: number;
}

export interface ResolvedOptions {
  scheme: InnerScheme;
  scaled: boolean;
  tol: number;
  maxIter: number;
}

export interface ResolvedModel {
  latentVariables: string[];
  /** Every item of every block, block after block. */
  items: string[];
  /** For each item (by position in `items`), the index of its latent variable. */
  blockOfItem: number[];
  /** For each latent variable, the positions of its items in `items`. */
  blockItems: number[][];
  modes: OuterMode[];
  /** For each latent variable, the latent variables with a path into it, in block order. */
  predecessors: number[][];
  /** For each latent variable, the latent variables it has a path to, in block order. */
  successors: number[][];
  /** The paths in the order the model lists them. */
  paths: { from: number; to: number }[];
  /** Latent variables ordered so that every path goes forward (ties broken by block order). */
  topologicalOrder: number[];
  /** Latent variables with at least one predecessor, in block order. */
  endogenous: number[];
}

export const DEFAULT_OPTIONS: ResolvedOptions = { scheme: 'centroid', scaled: true, tol: 1e-6, maxIter: 100 };

export const pathKey = (from: string, to: string): string => `${from}->${to}`;

export function resolveOptions(options: PlsOptions = {}): ResolvedOptions {
  const resolved: ResolvedOptions = {
    scheme: options.scheme ?? DEFAULT_OPTIONS.scheme,
    scaled: options.scaled ?? DEFAULT_OPTIONS.scaled,
    tol: options.tol ?? DEFAULT_OPTIONS.tol,
    maxIter: options.maxIter ?? DEFAULT_OPTIONS.maxIter,
  };
  if (!['centroid', 'factorial', 'path'].includes(resolved.scheme)) {
    throw new PlsInputError(`scheme must be centroid, factorial or path, not ${String(resolved.scheme)}`);
  }
  // plspm's bounds: a looser threshold would stop the iteration visibly short of the fixed point.
  if (!(resolved.tol > 0 && resolved.tol <= 1e-3)) {
    throw new PlsInputError(`tol must lie in (0, 0.001], not ${resolved.tol}`);
  }
  if (!Number.isInteger(resolved.maxIter) || resolved.maxIter < 1) {
    throw new PlsInputError(`max-iter must be a positive integer, not ${resolved.maxIter}`);
  }
  return resolved;
}

export function resolveModel(model: PlsModel): ResolvedModel {
  const latentVariables = Object.keys(model.blocks);
  if (latentVariables.length < 2) throw new PlsInputError('the model needs at least two blocks joined by a path');
  const lvIndex = new Map(latentVariables.map((name, index) => [name, index]));

  const items: string[] = [];
  const blockOfItem: number[] = [];
  const blockItems: number[][] = [];
  const ownerOfItem = new Map<string, string>();
  latentVariables.forEach((lv, lvPosition) => {
    if (lv.trim() === '') throw new PlsInputError('a block has an empty name');
    const blockMembers = model.blocks[lv] ?? [];
    if (blockMembers.length === 0) throw new PlsInputError(`block ${lv} is empty`);
    const positions: number[] = [];
    for (const item of blockMembers) {
      const owner = ownerOfItem.get(item);
      if (owner !== undefined) {
        throw new PlsInputError(
          owner === lv ? `item ${item} appears twice in block ${lv}` : `item ${item} is in blocks ${owner} and ${lv}`,
        );
      }
      ownerOfItem.set(item, lv);
      positions.push(items.length);
      items.push(item);
      blockOfItem.push(lvPosition);
    }
    blockItems.push(positions);
  });

  for (const [lv, mode] of Object.entries(model.modes ?? {})) {
    if (!lvIndex.has(lv)) throw new PlsInputError(`modes: ${lv} is not a block`);
    if (mode !== 'A' && mode !== 'B') throw new PlsInputError(`the mode of ${lv} must be A or B, not ${String(mode)}`);
  }
  const modes = latentVariables.map((lv) => model.modes?.[lv] ?? 'A');

  const paths: { from: number; to: number }[] = [];
  const seen = new Set<string>();
  for (const [from, to] of model.paths) {
    const label = pathKey(from, to);
    const fromIndex = lvIndex.get(from);
    const toIndex = lvIndex.get(to);
    if (fromIndex === undefined) throw new PlsInputError(`path ${label}: ${from} is not a block`);
    if (toIndex === undefined) throw new PlsInputError(`path ${label}: ${to} is not a block`);
    if (seen.has(label)) throw new PlsInputError(`path ${label} is listed twice`);
    seen.add(label);
    paths.push({ from: fromIndex, to: toIndex });
  }

  const count = latentVariables.length;
  const predecessors: number[][] = Array.from({ length: count }, () => []);
  const successors: number[][] = Array.from({ length: count }, () => []);
  for (const { from, to } of paths) {
    predecessors[to]!.push(from);
    successors[from]!.push(to);
  }
  for (const list of [...predecessors, ...successors]) list.sort((a, b) => a - b);

  const cycle = findCycle(successors);
  if (cycle) throw new PlsInputError(`the paths have a cycle: ${cycle.map((i) => latentVariables[i]).join(' -> ')}`);
  latentVariables.forEach((lv, i) => {
    if (predecessors[i]!.length === 0 && successors[i]!.length === 0) {
      throw new PlsInputError(`block ${lv} is in no path (every latent variable needs at least one)`);
    }
  });

  return {
    latentVariables,
    items,
    blockOfItem,
    blockItems,
    modes,
    predecessors,
    successors,
    paths,
    topologicalOrder: topologicalOrder(predecessors, successors),
    endogenous: latentVariables.map((_, i) => i).filter((i) => predecessors[i]!.length > 0),
  };
}

/** A closed walk (first node repeated at the end) when the graph has a cycle, else undefined. */
function findCycle(successors: number[][]): number[] | undefined {
  const state = new Array<'new' | 'open' | 'done'>(successors.length).fill('new');
  const stack: number[] = [];
  const visit = (node: number): number[] | undefined => {
    state[node] = 'open';
    stack.push(node);
    for (const next of successors[node]!) {
      if (state[next] === 'open') return [...stack.slice(stack.indexOf(next)), next];
      if (state[next] === 'new') {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state[node] = 'done';
    return undefined;
  };
  for (let node = 0; node < successors.length; node++) {
    if (state[node] === 'new') {
      const found = visit(node);
      if (found) return found;
    }
  }
  return undefined;
}

/** Kahn's algorithm, always taking the earliest block that is ready, so a model whose blocks are
 *  already listed in causal order keeps that order (as plspm's lower-triangular path matrix does). */
function topologicalOrder(predecessors: number[][], successors: number[][]): number[] {
  const remaining = predecessors.map((list) => list.length);
  const order: number[] = [];
  const ready = new Set(remaining.flatMap((n, i) => (n === 0 ? [i] : [])));
  while (ready.size > 0) {
    const next = Math.min(...ready);
    ready.delete(next);
    order.push(next);
    for (const successor of successors[next]!) {
      remaining[successor]!--;
      if (remaining[successor] === 0) ready.add(successor);
    }
  }
  return order;
}
