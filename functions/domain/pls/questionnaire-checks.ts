/**
 * The questionnaire's cross-checks of its PLS model (index.model): the paths join elements of the
 * index, the CSI element exists, and the inner model is recursive. They live beside the PLS domain
 * because they state what the estimation requires; the questionnaire's cross-checks call them.
 */
import type { PathProblem } from '../questionnaire/path-problems';
import type { PlsModel, Questionnaire } from '../questionnaire/schema';

/** The model's paths, its CSI element and its acyclicity, as problems under index.model. */
export function checkPlsModel(q: Questionnaire, model: PlsModel, problems: PathProblem[]): void {
  const elementIds = new Set(q.index.elements.map((e) => e.id));
  const edges = new Map<string, string[]>();
  model.paths.forEach(([from, to], p) => {
    for (const [end, id] of [[0, from], [1, to]] as const) {
      if (!elementIds.has(id)) problems.push({ path: ['index', 'model', 'paths', p, end], message: `unknown element "${id}"` });
    }
    if (from === to) problems.push({ path: ['index', 'model', 'paths', p], message: `a path from "${from}" to itself` });
    edges.set(from, [...(edges.get(from) ?? []), to]);
  });
  const csi = model.csi ?? 'satisfaction';
  if (!elementIds.has(csi)) {
    problems.push({ path: ['index', 'model', 'csi'], message: `the CSI element "${csi}" is not an element; name it with csi:` });
  }
  // The inner model must be recursive (no cycles), as PLS path modeling requires.
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (node: string, trail: string[]): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'visiting') return [...trail, node];
    state.set(node, 'visiting');
    for (const next of edges.get(node) ?? []) {
      const cycle = visit(next, [...trail, node]);
      if (cycle) return cycle;
    }
    state.set(node, 'done');
    return undefined;
  };
  for (const node of edges.keys()) {
    const cycle = visit(node, []);
    if (cycle) {
      problems.push({ path: ['index', 'model', 'paths'], message: `the paths form a cycle: ${cycle.slice(cycle.indexOf(cycle[cycle.length - 1] as string)).join(' -> ')}` });
      break;
    }
  }
}
