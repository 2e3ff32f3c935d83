/**
 * Who is calling an admin route, from the claims the JWT authorizer verified: API Gateway's on AWS
 * (a Cognito ID token), the local adapter's locally (a token signed by functions/local/tokens.ts
 * with the same claims). This is the only module that reads claims. The stored user is read at
 * every request, so a changed role or scope applies at the caller's next request and a disabled
 * user is refused at once, whatever its token still says.
 */
import type { MiddlewareObj } from '@middy/core';
import { createAccess, deniedMessage, type AccessCheck } from '../app/access';
import type { Deps } from '../app/deps';
import { isOrganisationWide, roleMay } from '../domain/access/policy';
import type { Action, Role } from '../domain/access/roles';
import type { UserRecord } from '../domain/access/users';
import { forbidden, unauthorized } from '../domain/errors';
import type { HttpEvent, HttpResult } from './middleware';
import { CLAIMS } from './claims';
import { actionOfRoute } from './routes';

export { CLAIMS, userClaims } from './claims';

/** The issuer of the local break-glass token (MANYI_ADMIN_TOKEN); API Gateway on AWS never passes it. */
export const BREAK_GLASS_ISSUER = 'urn:manyi:break-glass';
export const BREAK_GLASS_USER_ID = 'break-glass';

export interface Caller {
  userId: string;
  role: Role;
  pii: boolean;
  breakGlass: boolean;
  /** The stored user (absent for the break-glass admin). */
  user?: UserRecord;
  passwordChangeRequired: boolean;
  /** The route's action, for the scope checks of the use case. */
  action: Action;
  access: AccessCheck;
}

type Claims = Record<string, unknown>;

export const claimsOf = (event: HttpEvent): Claims | undefined => event.requestContext.authorizer?.jwt?.claims;

/** API Gateway hands every claim over as a string (an array as "[a b]"); the local adapter does the same. */
export const claimText = (claims: Claims, name: string): string | undefined => {
  const value = claims[name];
  return value === undefined || value === null ? undefined : String(value);
};

const callers = new WeakMap<HttpEvent, Caller>();

/** The caller of an admin route; the admin middleware resolved it before the handler ran. */
export function callerOf(event: HttpEvent): Caller {
  const caller = callers.get(event);
  if (!caller) throw new Error('callerOf: the route is not behind the admin middleware (functions/http/admin-route.ts)');
  return caller;
}

export const maybeCallerOf = (event: HttpEvent): Caller | undefined => callers.get(event);

/** Who a refused request claimed to be (a disabled or unknown user): the audit trail names it. */
export interface RefusedIdentity {
  userId: string;
  role?: Role;
  orgUnit?: string;
}
const refused = new WeakMap<HttpEvent, RefusedIdentity>();
export const refusedIdentityOf = (event: HttpEvent): RefusedIdentity | undefined => refused.get(event);

async function resolveCaller(deps: Pick<Deps, 'store'>, event: HttpEvent, action: Action): Promise<Caller> {
  const claims = claimsOf(event);
  if (!claims) throw unauthorized();
  if (claimText(claims, 'iss') === BREAK_GLASS_ISSUER) {
    // Every unit, but personal data masked: the break-glass token serves scripts, which need none.
    const access = createAccess({ userId: BREAK_GLASS_USER_ID, role: 'admin', pii: false, units: 'everything', action, store: deps.store });
    return { userId: BREAK_GLASS_USER_ID, role: 'admin', pii: false, breakGlass: true, passwordChangeRequired: false, action, access };
  }
  const userId = claimText(claims, CLAIMS.username);
  const user = userId ? await deps.store.getUser(userId) : undefined;
  if (!user) {
    if (userId) refused.set(event, { userId });
    throw unauthorized('Unauthorized: unknown user');
  }
  if (user.disabled) {
    refused.set(event, { userId: user.userId, role: user.role, ...(user.orgUnits[0] ? { orgUnit: user.orgUnits[0] } : {}) });
    throw unauthorized('Unauthorized: this user is disabled');
  }
  const access = createAccess({ userId: user.userId, role: user.role, pii: user.pii, units: user.orgUnits, action, store: deps.store });
  return { userId: user.userId, role: user.role, pii: user.pii, breakGlass: false, user, passwordChangeRequired: claimText(claims, CLAIMS.passwordChange) === 'true', action, access };
}

/**
 * Resolves the caller and checks its role (and, for organisation-wide actions, its scope) against
 * the route's action from functions/http/routes.ts; the handler checks the units it acts on.
 */
export function authenticate(deps: Pick<Deps, 'store'>): MiddlewareObj<HttpEvent, HttpResult> {
  return {
    before: async (request) => {
      const action = actionOfRoute(request.event.routeKey);
      if (!action) throw new Error(`route ${request.event.routeKey} has no action in functions/http/routes.ts`);
      const caller = await resolveCaller(deps, request.event, action);
      callers.set(request.event, caller);
      if (caller.passwordChangeRequired && action !== 'self:read') {
        throw forbidden('the temporary password must be changed first: POST /auth/login with "newPassword"');
      }
      if (!roleMay(caller.role, action)) throw forbidden(deniedMessage(caller.role, action, 'role'));
      if (isOrganisationWide(action) && !(await caller.access.scope()).isOrganisationWide) throw forbidden(deniedMessage(caller.role, action, 'organisation'));
    },
  };
}
