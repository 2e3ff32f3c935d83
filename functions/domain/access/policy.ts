/**
 * The one decision of authorisation: may this user take this action on this resource? From the
 * declarative table of ./roles.ts and the scope of ./scope.ts; pure, so it is tested on its own and
 * every handler asks it the same way (functions/http/caller.ts).
 */
import { ORGANISATION_WIDE, POLICY, type Action, type Role } from './roles';
import type { Scope } from './scope';

/** The user as the policy sees it, built for one request from the stored user record. */
export interface Actor {
  userId: string;
  role: Role;
  /** Sees phone numbers, names and e-mails unmasked. */
  pii: boolean;
  scope: Scope;
}

/** What an action is taken on: the org units it touches (none for an organisation-free resource). */
export interface Resource {
  units?: Iterable<string>;
}

export type Decision = { allowed: true } | { allowed: false; reason: 'role' | 'scope' | 'organisation'; outside?: string[] };

export const roleMay = (role: Role, action: Action): boolean => POLICY[role].includes(action);
export const isOrganisationWide = (action: Action): boolean => ORGANISATION_WIDE.has(action);

export function decide(actor: Actor, action: Action, resource: Resource = {}): Decision {
  if (!roleMay(actor.role, action)) return { allowed: false, reason: 'role' };
  if (isOrganisationWide(action) && !actor.scope.isOrganisationWide) return { allowed: false, reason: 'organisation' };
  if (resource.units) {
    const outside = actor.scope.outside(resource.units);
    if (outside.length > 0) return { allowed: false, reason: 'scope', outside };
  }
  return { allowed: true };
}

export const can = (actor: Actor, action: Action, resource?: Resource): boolean => decide(actor, action, resource).allowed;
