import { forbidden, invalid, problemsFromZod, type Problem } from '../domain/errors';
import { csvRowPath, mergeOrgUnits, orgUnitsFromCsv, orgUnitsRequestSchema, OrgTree, type OrgUnit } from '../domain/org';
import type { AccessCheck } from './access';
import type { Deps } from './deps';

/**
 * Creates or updates units (a rename or a move is an update), from JSON `{"units":[...]}` or a CSV
 * file; the whole request is refused if the resulting tree would be invalid, or (with `access`) if
 * it changes a unit outside the caller's scope, hangs a unit below one, or makes a new top-level
 * unit without an organisation-wide scope. Problems of a CSV name its rows.
 */
export async function upsertOrgUnits(deps: Pick<Deps, 'store'>, input: { json: unknown } | { csv: string }, access?: AccessCheck): Promise<{ upserted: number; total: number }> {
  const fromCsv = 'csv' in input;
  const located = (problems: readonly Problem[]) => (fromCsv ? problems.map((problem) => ({ ...problem, path: csvRowPath(problem.path) })) : [...problems]);
  const parsed = orgUnitsRequestSchema.safeParse(fromCsv ? orgUnitsFromCsv(input.csv) : input.json);
  if (!parsed.success) throw invalid(located(problemsFromZod(parsed.error.issues)), 'invalid organisation units');
  const incoming = parsed.data.units.map((u) => ({ id: u.id, name: u.name, ...(u.parentId ? { parentId: u.parentId } : {}) }));
  const existing = await deps.store.listOrgUnits();
  const { units, problems } = mergeOrgUnits(existing, incoming);
  if (problems.length > 0) throw invalid(located(problems), 'the organisation tree would be invalid');
  if (access && !access.everything) await requireWithinScope(existing, units, incoming, access);
  await deps.store.putOrgUnits(incoming);
  return { upserted: incoming.length, total: units.length };
}

/** Each written unit, in the tree after the change, must hang below a unit of the caller's scope that exists now. */
async function requireWithinScope(existing: readonly OrgUnit[], merged: readonly OrgUnit[], incoming: readonly OrgUnit[], access: AccessCheck): Promise<void> {
  const before = new Set(existing.map((unit) => unit.id));
  const after = new OrgTree(merged);
  const anchors = new Set<string>();
  for (const unit of incoming) {
    if (before.has(unit.id)) anchors.add(unit.id); // changing a unit: the unit itself must be in scope
    const anchor = after.path(unit.id).slice(0, -1).reverse().find((id) => before.has(id));
    if (anchor) anchors.add(anchor);
    else if (!(await access.scope()).isOrganisationWide) throw forbidden(`unit "${unit.id}" would be a new top-level unit, which needs an organisation-wide scope`);
  }
  await access.requireUnits(anchors, 'the change of the organisation tree');
}

export interface OrgUnitView extends OrgUnit {
  /** The enabled users of role manager granted this unit itself. */
  managers: { userId: string; name: string }[];
}

/**
 * GET /admin/org-units: the units in the caller's scope, each followed by its subtree (a unit at the
 * top of the caller's scope keeps its parentId, the console shows it as a root), with their managers.
 */
export async function listOrgUnitsInScope(deps: Pick<Deps, 'store'>, access: AccessCheck): Promise<{ units: OrgUnitView[] }> {
  const [scope, users] = await Promise.all([access.scope(), deps.store.listUsers()]);
  const managersOf = new Map<string, { userId: string; name: string }[]>();
  for (const user of users) {
    if (user.role !== 'manager' || user.disabled) continue;
    for (const unit of user.orgUnits) managersOf.set(unit, [...(managersOf.get(unit) ?? []), { userId: user.userId, name: user.name }]);
  }
  // Depth first, each unit followed by its subtree: the order a tree is shown in.
  const units: string[] = [];
  const visit = (id: string) => {
    if (scope.covers(id)) units.push(id);
    scope.tree.children(id).forEach(visit);
  };
  scope.tree.roots.forEach(visit);
  return {
    units: units.map((id) => {
      const unit = scope.tree.unit(id)!;
      return { ...unit, managers: (managersOf.get(id) ?? []).sort((a, b) => a.userId.localeCompare(b.userId)) };
    }),
  };
}
