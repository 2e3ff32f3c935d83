/**
 * Signing in on Cognito's hosted page (AWS): the OAuth 2.0 authorization code grant with PKCE
 * (RFC 7636), the console being a public client that can keep no secret. Before leaving for the
 * hosted page the console keeps a random code verifier and state in sessionStorage (this tab, this
 * origin, gone with the tab) and sends the verifier's SHA-256 (S256) as the challenge; back at the
 * console with ?code=&state=, it checks the state and trades the code and the verifier for tokens
 * at the domain's token endpoint. The ID token is the bearer of every admin route: it carries the
 * app client as `aud`, which API Gateway's JWT authorizer checks, and the claims manyi reads
 * (`cognito:username`, and those the pre-token-generation trigger adds), which an access token
 * does not. WebCrypto only: no library.
 */
import type { CognitoSignIn } from '../functions/pages/console-index';

/** Where the pending sign-in waits for the redirect back (one at a time; a new one replaces it). */
export const PENDING_KEY = 'manyi.console.pkce';

export interface PendingSignIn {
  state: string;
  verifier: string;
  /** The console's hash route when the user left, to come back to. */
  returnTo: string;
}

export type KeyValueStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** base64url without padding (RFC 7636 appendix A). */
export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** 32 random bytes as base64url: 43 characters of the unreserved set, as RFC 7636 4.1 recommends. */
export const randomToken = (): string => base64url(crypto.getRandomValues(new Uint8Array(32)));

/** The S256 code challenge of a verifier: base64url(SHA-256(ASCII(verifier))). */
export async function codeChallenge(verifier: string): Promise<string> {
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) throw new Error('a code verifier is 43-128 unreserved characters');
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/** Starts a sign-in: keeps a new verifier and state, and gives the hosted page's URL to go to. */
export async function authorizeUrl(signIn: CognitoSignIn, storage: KeyValueStore, returnTo = ''): Promise<string> {
  const pending: PendingSignIn = { state: randomToken(), verifier: randomToken(), returnTo };
  storage.setItem(PENDING_KEY, JSON.stringify(pending));
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: signIn.clientId,
    redirect_uri: signIn.redirectUri,
    scope: 'openid email profile',
    state: pending.state,
    code_challenge: await codeChallenge(pending.verifier),
    code_challenge_method: 'S256',
  });
  return `${signIn.domain}/oauth2/authorize?${query}`;
}

/** Whether the console was opened by the hosted page's redirect (a code, or an error instead of one). */
export const isCallback = (url: URL): boolean => url.searchParams.has('code') || url.searchParams.has('error');

export type CallbackResult = { kind: 'signed-in'; idToken: string; returnTo: string } | { kind: 'failed'; reason: string };

function takePending(storage: KeyValueStore): PendingSignIn | undefined {
  const text = storage.getItem(PENDING_KEY);
  // One use only: a code comes back once, and a replayed URL must not find the verifier again.
  storage.removeItem(PENDING_KEY);
  if (!text) return undefined;
  try {
    const pending = JSON.parse(text) as Partial<PendingSignIn>;
    return typeof pending.state === 'string' && typeof pending.verifier === 'string' ? { state: pending.state, verifier: pending.verifier, returnTo: String(pending.returnTo ?? '') } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Finishes a sign-in from the redirect's URL: the state must be the one this tab sent (else the
 * code is someone else's, a login CSRF), then the code is traded for tokens with the verifier.
 * Never throws: a failure says why, in words short enough for the sign-in page.
 */
export async function completeCallback(signIn: CognitoSignIn, url: URL, storage: KeyValueStore, post: typeof fetch = fetch): Promise<CallbackResult> {
  const pending = takePending(storage);
  const state = url.searchParams.get('state');
  // The state first: a crafted link's error text is never shown on this origin.
  if (!pending || !state || state !== pending.state) return { kind: 'failed', reason: 'state mismatch' };
  const error = url.searchParams.get('error');
  // The state matched, so the redirect came from the sign-in this tab started: its words may be shown.
  if (error) return { kind: 'failed', reason: url.searchParams.get('error_description') || error };
  const code = url.searchParams.get('code');
  if (!code) return { kind: 'failed', reason: 'no code' };
  try {
    const response = await post(`${signIn.domain}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: signIn.clientId, code, redirect_uri: signIn.redirectUri, code_verifier: pending.verifier }).toString(),
    });
    const body = (await response.json().catch(() => ({}))) as { id_token?: unknown; error?: unknown };
    if (!response.ok) return { kind: 'failed', reason: typeof body.error === 'string' ? body.error : `HTTP ${response.status}` };
    if (typeof body.id_token !== 'string' || body.id_token === '') return { kind: 'failed', reason: 'no ID token' };
    return { kind: 'signed-in', idToken: body.id_token, returnTo: pending.returnTo };
  } catch (failure) {
    return { kind: 'failed', reason: failure instanceof Error ? failure.message : String(failure) };
  }
}

/** The console's URL without what the redirect added (code, state, error), the hash kept or given. */
export function withoutCallback(url: URL, hash?: string): string {
  const clean = new URL(url.href);
  for (const name of ['code', 'state', 'error', 'error_description']) clean.searchParams.delete(name);
  if (hash !== undefined) clean.hash = hash;
  return `${clean.pathname}${clean.search}${clean.hash}`;
}

/**
 * The hosted page's sign-out: it ends the Cognito session too (else the next "continue" signs in
 * without a password) and comes back to the console (the app client lists it as a sign-out URL).
 */
export const signOutUrl = (signIn: CognitoSignIn): string =>
  `${signIn.domain}/logout?${new URLSearchParams({ client_id: signIn.clientId, logout_uri: signIn.redirectUri })}`;
