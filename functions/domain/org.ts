/**
 * The organisation tree (HQ > region > branch > ... > staff), of any depth. Units are upserted by
 * id; a change is accepted only if the resulting tree has no cycle and every parent exists.
 */
import * as z from './zod';
import { readImportCsv } from './csv';
import { invalid, type Problem } from './errors';

export const orgUnitSchema = z.strictObject({
  id: z.string().check(z.regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: 'expected 1-64 letters, digits, "_", "." or "-"' })),
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  parentId: z.nullish(z.string().check(z.minLength(1))),
});

export const orgUnitsRequestSchema = z.strictObject({
  units: z.array(orgUnitSchema).check(z.minLength(1, { error: 'give at least one unit' }), z.maxLength(5000)),
});

const ORG_UNIT_COLUMNS = ['id', 'name', 'parentId'] as const;

/**
 * A CSV of units (columns id, name and parentId, matched case-insensitively; an empty parentId
 * makes a top-level unit) as the body POST /admin/org-units takes in JSON. A tree is
 * taken whole or not at all, so the file is one request: a row whose parent is refused would
 * otherwise leave its subtree hanging.
 */
export function orgUnitsFromCsv(text: string): { units: Record<string, string>[] } {
  const table = readImportCsv(text, ORG_UNIT_COLUMNS, 'id, name and parentId');
  const { fields } = table;
  // parentId too: units are written whole, so a file without it would move every unit it names to the top.
  if (!fields.includes('id') || !fields.includes('name') || !fields.includes('parentId')) {
    throw invalid([{ path: 'csv', message: 'the columns id, name and parentId are required (parentId empty for a top-level unit)' }], 'the CSV file cannot be read');
  }
  return {
    units: table.cells.map((cells) => {
      const unit: Record<string, string> = {};
      fields.forEach((field, i) => {
        const cell = (cells[i] ?? '').trim();
        // An empty parentId is a top-level unit; an empty id or name is kept, to be refused by name.
        if (field && (cell !== '' || field !== 'parentId')) unit[field] = cell;
      });
      return unit;
    }),
  };
}

/** A problem about `units[i]` of a request made from a CSV names the file's row instead (data rows from 1, as the contacts import counts). */
export const csvRowPath = (path: string): string => path.replace(/^units\[(\d+)\]/, (_, i: string) => `row ${Number(i) + 1}`);

export type OrgUnit = { id: string; name: string; parentId?: string | undefined };

/** Existing units with the incoming ones applied, or the problems that forbid it. */
export function mergeOrgUnits(existing: readonly OrgUnit[], incoming: readonly OrgUnit[]): { units: OrgUnit[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const byId = new Map(existing.map((unit) => [unit.id, unit]));
  const seen = new Set<string>();
  incoming.forEach((unit, i) => {
    if (seen.has(unit.id)) problems.push({ path: `units[${i}].id`, message: `unit "${unit.id}" appears twice` });
    seen.add(unit.id);
    if (unit.parentId === unit.id) problems.push({ path: `units[${i}].parentId`, message: `unit "${unit.id}" cannot be its own parent` });
    byId.set(unit.id, { id: unit.id, name: unit.name, ...(unit.parentId ? { parentId: unit.parentId } : {}) });
  });
  incoming.forEach((unit, i) => {
    if (unit.parentId && !byId.has(unit.parentId)) problems.push({ path: `units[${i}].parentId`, message: `unknown parent "${unit.parentId}"` });
  });
  if (problems.length === 0) {
    incoming.forEach((unit, i) => {
      const cycle = cycleThrough(unit.id, byId);
      if (cycle) problems.push({ path: `units[${i}].parentId`, message: `cycle: ${cycle.join(' > ')}` });
    });
  }
  return { units: [...byId.values()], problems };
}

function cycleThrough(start: string, byId: ReadonlyMap<string, OrgUnit>): string[] | undefined {
  const chain = [start];
  let current = byId.get(start)?.parentId;
  while (current) {
    chain.push(current);
    if (current === start) return chain;
    if (chain.length > byId.size + 1) return chain; // a cycle above start; reported from its own members
    current = byId.get(current)?.parentId;
  }
  return undefined;
}

export class OrgTree {
  private readonly byId: Map<string, OrgUnit>;
  private readonly childrenOf = new Map<string, string[]>();
  readonly roots: string[] = [];

  constructor(units: readonly OrgUnit[]) {
    this.byId = new Map(units.map((unit) => [unit.id, unit]));
    for (const unit of units) {
      if (unit.parentId && this.byId.has(unit.parentId)) {
        const siblings = this.childrenOf.get(unit.parentId) ?? [];
        siblings.push(unit.id);
        this.childrenOf.set(unit.parentId, siblings);
      } else {
        this.roots.push(unit.id);
      }
    }
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  unit(id: string): OrgUnit | undefined {
    return this.byId.get(id);
  }

  children(id: string): string[] {
    return this.childrenOf.get(id) ?? [];
  }

  /** Ids from the root down to `id`. */
  path(id: string): string[] {
    const chain: string[] = [];
    for (let current: string | undefined = id; current && chain.length <= this.byId.size; current = this.byId.get(current)?.parentId) {
      chain.unshift(current);
    }
    return chain;
  }

  /** Whether `id` is `root` or lies below it. */
  isWithin(id: string, root: string): boolean {
    return this.path(id).includes(root);
  }

  /**
   * The path from the root to the deepest unit that is an ancestor of (or one of) every given
   * unit; empty when they share no root (or none is known).
   */
  commonPath(ids: Iterable<string>): string[] {
    let common: string[] | undefined;
    for (const id of ids) {
      if (!this.has(id)) continue;
      const path = this.path(id);
      if (!common) common = path;
      else {
        let length = 0;
        while (length < common.length && length < path.length && common[length] === path[length]) length++;
        common = common.slice(0, length);
      }
      if (common.length === 0) return [];
    }
    return common ?? [];
  }

  /** Every unit with its children before it (leaves first): the order in which to roll figures up. */
  bottomUp(): string[] {
    const order: string[] = [];
    const visit = (id: string) => {
      for (const child of this.children(id)) visit(child);
      order.push(id);
    };
    this.roots.forEach(visit);
    return order;
  }

  /**
   * Folds per-unit values up the tree: each unit's result combines its own value with its
   * children's results. Units without an own value start from `empty()`.
   */
  rollUp<T>(own: ReadonlyMap<string, T>, empty: () => T, merge: (a: T, b: T) => T): Map<string, T> {
    const totals = new Map<string, T>();
    for (const id of this.bottomUp()) {
      let total = own.get(id) ?? empty();
      for (const child of this.children(id)) total = merge(total, totals.get(child) ?? empty());
      totals.set(id, total);
    }
    return totals;
  }
}
