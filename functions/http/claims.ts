/**
 * The names of the token claims manyi reads and writes, and the claims it adds for a user. A module
 * of its own so the pre-token-generation trigger carries these lines and not the admin middleware.
 */
import type { UserRecord } from '../domain/access/users';

/** Claims of our own beside Cognito's (the pre-token-generation trigger adds them on AWS). */
export const CLAIMS = {
  username: 'cognito:username',
  groups: 'cognito:groups',
  role: 'manyi:role',
  orgUnits: 'manyi:orgUnits',
  pii: 'manyi:pii',
  /** Local only: a token from a temporary password, good for nothing but GET /admin/me. */
  passwordChange: 'manyi:passwordChange',
  /** Local only: the CSRF token of a cookie session. */
  csrf: 'manyi:csrf',
} as const;

/**
 * The claims manyi adds to a user's ID token: on AWS the pre-token-generation trigger
 * (functions/jobs/pre-token-generation.ts), locally the signer (functions/local/tokens.ts). They
 * describe the user for the console; the routes trust the stored record, read at every request.
 */
export const userClaims = (user: UserRecord): Record<string, string> => ({
  [CLAIMS.role]: user.role,
  // Space-separated, as API Gateway hands an array claim over ("[a b]") and ids hold no spaces.
  [CLAIMS.orgUnits]: user.orgUnits.join(' '),
  [CLAIMS.pii]: String(user.pii),
});
