/**
 * Users: POST /admin/users, GET /admin/users, PATCH /admin/users/{userId}, GET /admin/me. The user
 * record is the truth for role, scope and permissions (read at every request); the directory
 * (Cognito on AWS, local credentials locally) holds the sign-in.
 */
import { ACTIONS, type Action } from '../domain/access/roles';
import { roleMay } from '../domain/access/policy';
import { createUserSchema, normaliseEmail, patchUserSchema, userView, type UserRecord, type UserView } from '../domain/access/users';
import { conflict, forbidden, invalid, notFound, problemsFromZod } from '../domain/errors';
import { newId } from '../shared/ids';
import { normalisePhone, type CountryCode } from '../domain/distribution/phone';
import { maskEmail, maskName, maskPhone } from '../shared/privacy';
import type { AccessCheck } from './access';
import type { Deps } from './deps';

/** A user as the caller may see it: names and e-mails masked without the pii permission. */
const shownTo = (access: AccessCheck, user: UserRecord): UserView => {
  const view = userView(user);
  return access.pii ? view : { ...view, email: maskEmail(view.email), name: maskName(view.name), ...(view.phone ? { phone: maskPhone(view.phone) } : {}) };
};

/** A user's phone as stored: E.164, or a 400 at `phone`. */
function userPhone(deps: Pick<Deps, 'config'>, raw: string): string {
  const phone = normalisePhone(raw, deps.config.defaultRegion as CountryCode);
  if (!phone.ok) throw invalid([{ path: 'phone', message: phone.reason }], 'invalid user');
  return phone.e164;
}

/** Seeing personal data is granted only by a user who sees it (or by the unbounded operator). */
function requireMayGrantPii(access: AccessCheck, pii: boolean | undefined): void {
  if (pii === true && !access.pii && !access.everything) throw forbidden('you may grant only what you hold: you do not see personal data, so you cannot grant "pii"');
}

const sameUnits = (a: readonly string[], b: readonly string[]): boolean => {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((id) => right.has(id));
};

async function requireKnownUnits(deps: Pick<Deps, 'store'>, access: AccessCheck, units: readonly string[], path: string): Promise<void> {
  const { tree } = await access.scope();
  const unknown = units.filter((id) => !tree.has(id));
  if (unknown.length > 0) throw invalid(unknown.map((id) => ({ path, message: `unknown organisation unit "${id}"` })), 'invalid user');
  // A user may grant only what it holds itself.
  await access.requireUnits(units, 'the user\'s scope');
}

export async function createUser(
  deps: Pick<Deps, 'store' | 'clock' | 'directory' | 'config'>,
  input: unknown,
  access: AccessCheck,
): Promise<{ userId: string; temporaryPassword?: string }> {
  const parsed = createUserSchema.safeParse(input);
  if (!parsed.success) throw invalid(problemsFromZod(parsed.error.issues), 'invalid user');
  const request = parsed.data;
  if (request.password !== undefined && !deps.directory.acceptsChosenPasswords) {
    throw invalid([{ path: 'password', message: 'a password cannot be chosen here: the user pool e-mails a temporary one' }], 'invalid user');
  }
  await requireKnownUnits(deps, access, request.orgUnits, 'orgUnits');
  requireMayGrantPii(access, request.pii);
  const now = deps.clock.now().toISOString();
  const user: UserRecord = {
    userId: newId('usr'),
    email: normaliseEmail(request.email),
    name: request.name,
    language: request.language ?? 'zh-CN',
    role: request.role,
    orgUnits: [...new Set(request.orgUnits)],
    pii: request.pii ?? false,
    ...(request.phone !== undefined ? { phone: userPhone(deps, request.phone) } : {}),
    disabled: false,
    createdAt: now,
    updatedAt: now,
    createdBy: access.userId,
    revision: 1,
  };
  let stored = user;
  if ((await deps.store.createUser(user)) === 'exists') {
    // A retry of this caller's creation that stopped between the record and the sign-in (the
    // directory failed): finish that one. Any other existing user is a conflict.
    const existing = await deps.store.getUserByEmail(user.email);
    if (!existing || existing.createdBy !== access.userId || (await deps.directory.hasSignIn(existing.userId))) {
      throw conflict(`a user with the e-mail ${maskEmail(user.email)} exists already`);
    }
    stored = existing;
  }
  const signIn = await deps.directory.createSignIn(stored, request.password);
  return { userId: stored.userId, ...(signIn.temporaryPassword ? { temporaryPassword: signIn.temporaryPassword } : {}) };
}

/** Users whose whole scope lies within the caller's. */
export async function listUsers(deps: Pick<Deps, 'store'>, access: AccessCheck): Promise<{ users: UserView[] }> {
  const scope = await access.scope();
  const users = (await deps.store.listUsers()).filter((user) => scope.contains(user.orgUnits));
  users.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.userId.localeCompare(b.userId));
  return { users: users.map((user) => shownTo(access, user)) };
}

export async function patchUser(deps: Pick<Deps, 'store' | 'clock' | 'directory' | 'config'>, userId: string, input: unknown, access: AccessCheck): Promise<{ user: UserView }> {
  const parsed = patchUserSchema.safeParse(input);
  if (!parsed.success) throw invalid(problemsFromZod(parsed.error.issues), 'invalid change');
  const patch = parsed.data;
  const phone = typeof patch.phone === 'string' ? userPhone(deps, patch.phone) : undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const previous = await deps.store.getUser(userId);
    if (!previous) throw notFound(`unknown user "${userId}"`);
    await access.requireUnits(previous.orgUnits, 'the user');
    if (patch.orgUnits) await requireKnownUnits(deps, access, patch.orgUnits, 'orgUnits');
    const changesOwnAccess =
      patch.disabled === true ||
      (patch.role !== undefined && patch.role !== previous.role) ||
      (patch.orgUnits !== undefined && !sameUnits(patch.orgUnits, previous.orgUnits)) ||
      (patch.pii !== undefined && patch.pii !== previous.pii);
    if (userId === access.userId && changesOwnAccess) {
      // Nobody locks themselves out or raises themselves: another admin changes one's role, scope or access.
      throw forbidden('you may not change your own role, scope or access');
    }
    if (patch.pii !== previous.pii) requireMayGrantPii(access, patch.pii);
    const { phone: _previousPhone, ...unchanged } = previous;
    const updated: UserRecord = {
      ...(patch.phone === undefined ? previous : unchanged),
      ...(phone ? { phone } : {}),
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.role !== undefined ? { role: patch.role } : {}),
      ...(patch.orgUnits !== undefined ? { orgUnits: [...new Set(patch.orgUnits)] } : {}),
      ...(patch.pii !== undefined ? { pii: patch.pii } : {}),
      ...(patch.language !== undefined ? { language: patch.language } : {}),
      ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
      updatedAt: deps.clock.now().toISOString(),
      revision: previous.revision + 1,
    };
    if (await deps.store.updateUser(updated, previous.revision)) {
      await deps.directory.updateSignIn(updated, previous);
      return { user: shownTo(access, updated) };
    }
  }
  throw conflict(`user "${userId}" is being changed by another request; try again`);
}

export interface Me {
  user: UserView | { userId: string; role: 'admin'; breakGlass: true };
  role: string;
  orgUnits: string[] | 'everything';
  pii: boolean;
  /** Every action of the policy the caller's role may take (scope still applies to each). */
  permissions: Action[];
  passwordChangeRequired: boolean;
}

export function me(access: AccessCheck, user: UserRecord | undefined, passwordChangeRequired: boolean): Me {
  const permissions = ACTIONS.filter((action) => roleMay(access.role, action));
  return {
    user: user ? userView(user) : { userId: access.userId, role: 'admin', breakGlass: true },
    role: access.role,
    orgUnits: user ? user.orgUnits : 'everything',
    pii: access.pii,
    permissions: passwordChangeRequired ? ['self:read'] : permissions,
    passwordChangeRequired,
  };
}
