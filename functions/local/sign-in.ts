/**
 * Local sign-in (POST /auth/login): e-mail and password against the scrypt credential, slowed after
 * repeated failures, refused for a disabled user; a temporary password signs in only to be replaced
 * (the answer says `passwordChangeRequired` and its token opens GET /admin/me alone) unless the same
 * request gives `newPassword`, as Cognito's NEW_PASSWORD_REQUIRED challenge does.
 */
import * as z from '../domain/zod';
import type { Store } from '../app/ports';
import { normaliseEmail, passwordSchema } from '../domain/access/users';
import { invalid, problemsFromZod, ThrottledError, unauthorized } from '../domain/errors';
import type { Clock } from '../shared/clock';
import type { LoginThrottle } from './login-throttle';
import { DECOY_HASH, hashPassword, verifyPassword } from './passwords';
import type { IssuedToken, LocalTokens } from './tokens';

export const loginRequestSchema = z.strictObject({
  email: z.string().check(z.trim(), z.minLength(1), z.maxLength(254)),
  password: z.string().check(z.minLength(1), z.maxLength(256)),
  newPassword: z.optional(passwordSchema),
  /** Forms only: where to go next. */
  next: z.optional(z.string().check(z.maxLength(2000))),
  _csrf: z.optional(z.string()),
  /** Forms only: the page's language. */
  lang: z.optional(z.string().check(z.maxLength(20))),
});

export interface SignedIn extends IssuedToken {
  passwordChangeRequired: boolean;
}

export interface SignInDeps {
  store: Pick<Store, 'getUserByEmail' | 'getCredential' | 'putCredential'>;
  clock: Clock;
  tokens: LocalTokens;
  throttle: LoginThrottle;
}

const WRONG = 'wrong e-mail or password';

export async function signIn(deps: SignInDeps, input: unknown, address: string): Promise<SignedIn> {
  const parsed = loginRequestSchema.safeParse(input);
  if (!parsed.success) throw invalid(problemsFromZod(parsed.error.issues), 'give "email" and "password"');
  const email = normaliseEmail(parsed.data.email);
  const wait = deps.throttle.retryAfterSeconds(email, address);
  if (wait > 0) throw new ThrottledError(`too many failed sign-ins: try again in ${wait} s`, wait);

  const user = await deps.store.getUserByEmail(email);
  const credential = user ? await deps.store.getCredential(user.userId) : undefined;
  // An unknown e-mail costs one hash too, so the answer's timing does not tell which e-mails exist.
  const matches = await verifyPassword(parsed.data.password, credential?.hash ?? DECOY_HASH);
  if (!user || !credential || !matches) {
    deps.throttle.failed(email, address);
    throw unauthorized(WRONG);
  }
  if (user.disabled) throw unauthorized('this user is disabled');
  deps.throttle.succeeded(email);

  const { newPassword } = parsed.data;
  if (newPassword !== undefined) {
    if (newPassword === parsed.data.password) throw invalid([{ path: 'newPassword', message: 'the new password must differ from the old one' }], 'choose another password');
    await deps.store.putCredential({ userId: user.userId, hash: await hashPassword(newPassword), mustChange: false, updatedAt: deps.clock.now().toISOString() });
    return { ...(await deps.tokens.forUser(user)), passwordChangeRequired: false };
  }
  if (credential.mustChange) return { ...(await deps.tokens.forUser(user, { passwordChange: true })), passwordChangeRequired: true };
  return { ...(await deps.tokens.forUser(user)), passwordChangeRequired: false };
}
