/**
 * What a use case knows of its caller: who it is, and the one question it may ask, "are these
 * units inside the caller's scope?", answered by the policy (functions/domain/access/). The HTTP
 * layer builds it from the verified claims and the stored user (functions/http/caller.ts); jobs,
 * the CLI and the local demo act for the whole organisation (`organisationAccess`).
 */
import { forbidden } from '../domain/errors';
import { decide, roleMay, type Actor, type Resource } from '../domain/access/policy';
import type { Action, Role } from '../domain/access/roles';
import { Scope } from '../domain/access/scope';
import { OrgTree } from '../domain/org';
import type { Store } from './ports';

export interface AccessCheck {
  readonly userId: string;
  readonly role: Role;
  /** Sees phone numbers, names and e-mails unmasked. */
  readonly pii: boolean;
  /** The caller's scope (the org tree is read on first use, once per request). */
  scope(): Promise<Scope>;
  /** Whether the caller may take `action` on the resource (role, organisation-wide actions, scope). */
  can(action: Action, resource?: Resource): Promise<boolean>;
  /**
   * Whether a unit is inside the caller's scope (the break-glass admin's scope holds every unit, with
   * no read). A covered unit counts as checked: the request acts on it (an import's accepted row).
   */
  covers(unitId: string): Promise<boolean>;
  /** Whether the caller acts for the whole organisation (a root is in its scope). */
  readonly everything: boolean;
  /** Throws a 403 naming what lies outside the scope; `what` says what the units belong to ("the campaign's audience"). */
  requireUnits(units: Iterable<string>, what: string): Promise<void>;
  /** The units checked so far (the audit trail names the unit a write concerned). */
  readonly checkedUnits: ReadonlySet<string>;
}

export interface AccessOptions {
  userId: string;
  role: Role;
  pii: boolean;
  /** The granted units, or "everything" for the break-glass admin and internal callers. */
  units: readonly string[] | 'everything';
  /** The action of the route (what `requireUnits` checks). */
  action: Action;
  store: Pick<Store, 'listOrgUnits'>;
}

export function createAccess(options: AccessOptions): AccessCheck {
  let scope: Promise<Scope> | undefined;
  const checkedUnits = new Set<string>();
  const loadScope = () =>
    (scope ??= options.store.listOrgUnits().then((units) => {
      const tree = new OrgTree(units);
      return options.units === 'everything' ? Scope.everything(tree) : new Scope(tree, options.units);
    }));
  const actor = async (): Promise<Actor> => ({ userId: options.userId, role: options.role, pii: options.pii, scope: await loadScope() });
  return {
    userId: options.userId,
    role: options.role,
    pii: options.pii,
    checkedUnits,
    scope: loadScope,
    everything: options.units === 'everything',
    async covers(unitId) {
      const covered = options.units === 'everything' || (await loadScope()).covers(unitId);
      if (covered) checkedUnits.add(unitId);
      return covered;
    },
    can: async (action, resource) => decide(await actor(), action, resource).allowed,
    async requireUnits(units, what) {
      const ids = [...units];
      ids.forEach((id) => checkedUnits.add(id));
      // Every unit is inside an unbounded scope: only the role is asked, and the tree is not read.
      if (options.units === 'everything') {
        if (!roleMay(options.role, options.action)) throw forbidden(deniedMessage(options.role, options.action, 'role'));
        return;
      }
      const decision = decide(await actor(), options.action, { units: ids });
      if (decision.allowed) return;
      if (decision.reason === 'scope') {
        const shown = (decision.outside ?? []).slice(0, 5).map((id) => `"${id}"`).join(', ');
        const more = (decision.outside?.length ?? 0) > 5 ? ` and ${(decision.outside?.length ?? 0) - 5} more` : '';
        throw forbidden(`${what} reaches units outside your scope: ${shown}${more}`);
      }
      throw forbidden(deniedMessage(options.role, options.action, decision.reason));
    },
  };
}

export function deniedMessage(role: Role, action: Action, reason: 'role' | 'organisation' | 'scope'): string {
  if (reason === 'organisation') return `"${action}" is for users whose scope is the whole organisation`;
  return `the role "${role}" may not do "${action}"`;
}

/** Jobs, the CLI, the demo and tests that call use cases directly act for the whole organisation. */
export const organisationAccess = (store: Pick<Store, 'listOrgUnits'>, action: Action = 'self:read'): AccessCheck =>
  createAccess({ userId: 'system', role: 'admin', pii: true, units: 'everything', action, store });
