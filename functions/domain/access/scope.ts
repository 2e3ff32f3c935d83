/**
 * A user's scope: the org units it was given and everything below them. Whether a unit is inside
 * is decided here only, by walking up from the unit (the tree may be of any depth: province >
 * city > county > township > village > outlet).
 */
import type { OrgTree } from '../org';

export class Scope {
  private readonly granted: ReadonlySet<string>;

  constructor(
    readonly tree: OrgTree,
    units: readonly string[],
    /** The break-glass admin and internal callers: every unit, present or future. */
    readonly unbounded = false,
  ) {
    this.granted = new Set(unbounded ? tree.roots : units);
  }

  static everything(tree: OrgTree): Scope {
    return new Scope(tree, [], true);
  }

  /** The units the user was given, as granted (some may have been deleted from the tree since). */
  get units(): string[] {
    return [...this.granted];
  }

  /** Whether `unitId` is one of the granted units or below one of them. An unknown unit is outside. */
  covers(unitId: string): boolean {
    if (this.unbounded) return true;
    if (!this.tree.has(unitId)) return false;
    return this.tree.path(unitId).some((id) => this.granted.has(id));
  }

  coversAll(unitIds: Iterable<string>): boolean {
    for (const id of unitIds) if (!this.covers(id)) return false;
    return true;
  }

  /** The given units among `unitIds` outside the scope (for a clear message). */
  outside(unitIds: Iterable<string>): string[] {
    return [...new Set(unitIds)].filter((id) => !this.covers(id));
  }

  /** Whether the scope holds a root of the tree: the user acts for the whole organisation. */
  get isOrganisationWide(): boolean {
    if (this.unbounded) return true;
    return this.tree.roots.length > 0 && this.tree.roots.every((root) => this.granted.has(root));
  }

  /** The unit a user scoped here sees first: the root when it holds it, else its first granted unit in the tree. */
  get home(): string | undefined {
    if (this.isOrganisationWide) return this.tree.roots[0];
    return this.units.find((id) => this.tree.has(id));
  }

  /** Whether another scope lies entirely within this one (a user may grant only what it holds). */
  contains(units: readonly string[]): boolean {
    return units.every((id) => this.covers(id));
  }
}
