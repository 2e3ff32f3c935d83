/**
 * Local sign-in tokens: JWTs with the claims of a Cognito ID token (plus ours), signed with an
 * ES256 key kept under the data directory, and verified as API Gateway's JWT authorizer verifies
 * Cognito's on AWS: signature, issuer, audience, expiry, token_use "id". The local adapter then hands
 * the handlers the verified claims exactly where and how API Gateway does (./http-adapter.ts), so
 * functions/http/caller.ts reads both the same way.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import type { UserRecord } from '../domain/access/users';
import { BREAK_GLASS_ISSUER, BREAK_GLASS_USER_ID, CLAIMS, userClaims } from '../http/caller';
import type { Clock } from '../shared/clock';

export const LOCAL_ISSUER = 'urn:manyi:local';
export const LOCAL_AUDIENCE = 'manyi-console';
const ALGORITHM = 'ES256';

export interface IssuedToken {
  token: string;
  expiresAt: string;
  /** The CSRF token of a cookie session (a form or fetch sends it back in x-csrf-token or _csrf). */
  csrfToken: string;
}

export class LocalTokens {
  private constructor(
    private readonly privateKey: CryptoKey,
    private readonly publicKey: CryptoKey,
    private readonly clock: Clock,
    private readonly lifetimeHours: number,
  ) {}

  /** The signing key of `dataDir` (made on first start, file mode 0600), or a fresh one kept in memory. */
  static async open(options: { dataDir?: string | undefined; clock: Clock; lifetimeHours: number }): Promise<LocalTokens> {
    const file = options.dataDir ? join(options.dataDir, 'signing-key.jwk') : undefined;
    let jwk: JWK;
    if (file && existsSync(file)) {
      jwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
    } else {
      const pair = await generateKeyPair(ALGORITHM, { extractable: true });
      jwk = await exportJWK(pair.privateKey);
      if (file) writeFileSync(file, JSON.stringify(jwk), { mode: 0o600 });
    }
    const { d: _private, ...publicJwk } = jwk;
    return new LocalTokens(
      (await importJWK(jwk, ALGORITHM)) as CryptoKey,
      (await importJWK(publicJwk, ALGORITHM)) as CryptoKey,
      options.clock,
      options.lifetimeHours,
    );
  }

  /** A token for a user, with the claims Cognito's ID token and our pre-token-generation trigger give. */
  forUser(user: UserRecord, options: { passwordChange?: boolean } = {}): Promise<IssuedToken> {
    return this.sign(LOCAL_ISSUER, user.userId, {
      email: user.email,
      [CLAIMS.username]: user.userId,
      [CLAIMS.groups]: [user.role],
      ...userClaims(user),
      ...(options.passwordChange ? { [CLAIMS.passwordChange]: 'true' } : {}),
    });
  }

  /** A session of the break-glass admin (MANYI_ADMIN_TOKEN's holder, through /dev/login). */
  forBreakGlass(): Promise<IssuedToken> {
    return this.sign(BREAK_GLASS_ISSUER, BREAK_GLASS_USER_ID, { [CLAIMS.username]: BREAK_GLASS_USER_ID });
  }

  private async sign(issuer: string, subject: string, claims: Record<string, unknown>): Promise<IssuedToken> {
    const now = Math.floor(this.clock.now().getTime() / 1000);
    const exp = now + Math.round(this.lifetimeHours * 3600);
    const csrfToken = randomBytes(18).toString('base64url');
    const token = await new SignJWT({ ...claims, token_use: 'id', auth_time: now, [CLAIMS.csrf]: csrfToken })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setIssuer(issuer)
      .setSubject(subject)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .setJti(randomBytes(12).toString('base64url'))
      .sign(this.privateKey);
    return { token, expiresAt: new Date(exp * 1000).toISOString(), csrfToken };
  }

  /** The verified claims, or undefined for a token that is tampered, expired, or not ours (issuer, audience, use). */
  async verify(token: string): Promise<JWTPayload | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.publicKey, {
        issuer: [LOCAL_ISSUER, BREAK_GLASS_ISSUER],
        audience: LOCAL_AUDIENCE,
        algorithms: [ALGORITHM],
        currentDate: this.clock.now(),
        requiredClaims: ['exp', 'sub'],
      });
      return payload.token_use === 'id' ? payload : undefined;
    } catch {
      return undefined;
    }
  }
}

/** Claims as API Gateway's JWT authorizer passes them to a function: every value a string, a list as "[a b]". */
export function asApiGatewayClaims(payload: JWTPayload): Record<string, string> {
  return Object.fromEntries(
    Object.entries(payload).map(([name, value]) => [name, Array.isArray(value) ? `[${value.join(' ')}]` : typeof value === 'string' ? value : JSON.stringify(value)]),
  );
}
