import { forbidden, invalid, problemsFromZod } from '../domain/errors';
import { mergeOrgUnits, orgUnitsRequestSchema, OrgTree, type OrgUnit } from '../domain/org';
import type { AccessCheck } from './access';
import type { Deps } from './deps';

/**
 * Creates or updates units; the whole request is refused if the resulting tree would be invalid, or
 * (with `access`) if it changes a unit outside the caller's scope, hangs a unit below one, or makes
 * a new top-level unit without an organisation-wide scope.
 */
export async function upsertOrgUnits(deps: Pick<Deps, 'store'>, input: unknown, access?: AccessCheck): Promise<{ upserted: number; total: number }> {
  const parsed = orgUnitsRequestSchema.safeParse(input);
  if (!parsed.success) throw invalid(problemsFromZod(parsed.error.issues), 'invalid organisation units');
  const incoming = parsed.data.units.map((u) => ({ id: u.id, name: u.name, ...(u.parentId ? { parentId: u.parentId } : {}) }));
  const existing = await deps.store.listOrgUnits();
  const { units, problems } = mergeOrgUnits(existing, incoming);
  if (problems.length > 0) throw invalid(problems, 'the organisation tree would be invalid');
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
