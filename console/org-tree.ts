/** The organisation tree as GET /admin/org-units lists it, drawn depth first. */

export interface UnitOption {
  id: string;
  name: string;
  parentId?: string;
}

/**
 * The units directly below `parentId`, or (undefined) the tops of the list: the units whose parent
 * is not listed (a unit at the top of the reader's scope keeps its parentId).
 */
export function childrenOf<U extends UnitOption>(units: readonly U[], parentId: string | undefined): U[] {
  const ids = new Set(units.map((unit) => unit.id));
  return units.filter((unit) => (unit.parentId && ids.has(unit.parentId) ? unit.parentId : undefined) === parentId);
}

/** Depth first, as the tree is drawn, with each unit's depth (the API lists parents first). */
export function unitsInOrder<U extends UnitOption>(units: readonly U[]): { unit: U; depth: number }[] {
  const children = (parentId: string | undefined) => childrenOf(units, parentId);
  const out: { unit: U; depth: number }[] = [];
  const visit = (unit: U, depth: number) => {
    out.push({ unit, depth });
    children(unit.id).forEach((child) => visit(child, depth + 1));
  };
  children(undefined).forEach((root) => visit(root, 0));
  return out;
}

/** The ids of `unitId` and everything below it: a unit cannot move there. */
export function subtreeIds(units: readonly UnitOption[], unitId: string): Set<string> {
  const ids = new Set([unitId]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const unit of units) {
      if (unit.parentId && ids.has(unit.parentId) && !ids.has(unit.id)) {
        ids.add(unit.id);
        grew = true;
      }
    }
  }
  return ids;
}
