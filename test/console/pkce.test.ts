/**
 * The console's hosted sign-in (console/pkce.ts): the PKCE verifier and S256 challenge of RFC 7636,
 * the authorize URL it sends the user to, and the code exchange on the way back (the state
 * checked, the verifier used once, the ID token kept), with WebCrypto as Node provides it.
 */
import { describe, expect, it } from 'vitest';
import type { CognitoSignIn } from '../../functions/pages/console-index';
import { authorizeUrl, base64url, codeChallenge, completeCallback, isCallback, PENDING_KEY, randomToken, signOutUrl, withoutCallback, type KeyValueStore } from '../../console/pkce';

const signIn: CognitoSignIn = {
  kind: 'cognito',
  domain: 'https://manyi-1a2b3c4d.auth.ap-east-1.amazoncognito.com',
  clientId: '4p1ec1ient1d',
  redirectUri: 'https://abc123.execute-api.ap-east-1.amazonaws.com/console',
};

function memoryStore(): KeyValueStore & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return { items, getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value), removeItem: (key) => void items.delete(key) };
}

/** A token endpoint that records what it was sent. */
function tokenEndpoint(status: number, body: unknown) {
  const requests: { url: string; init: RequestInit }[] = [];
  const post = (async (url: string | URL | Request, init?: RequestInit) => {
    requests.push({ url: String(url), init: init ?? {} });
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return { post, requests };
}

describe('PKCE (RFC 7636)', () => {
  it('derives the S256 challenge of appendix B\'s verifier', async () => {
    // RFC 7636 appendix B: this verifier (32 octets 116, 24, 223, ... as base64url) and its challenge.
    expect(await codeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('encodes base64url without padding (appendix A)', () => {
    expect(base64url(new Uint8Array([3, 236, 255, 224, 193]))).toBe('A-z_4ME');
    expect(base64url(new Uint8Array([251, 255]))).toBe('-_8');
  });

  it('makes verifiers and states of 43 unreserved characters, each new', () => {
    const tokens = Array.from({ length: 50 }, randomToken);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(tokens).size).toBe(50);
  });

  it('refuses a verifier outside 43-128 unreserved characters', async () => {
    await expect(codeChallenge('short')).rejects.toThrow(/43-128/);
    await expect(codeChallenge('a'.repeat(129))).rejects.toThrow(/43-128/);
    await expect(codeChallenge(`${'a'.repeat(42)}+`)).rejects.toThrow(/43-128/);
    expect(await codeChallenge('a'.repeat(128))).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('going to the hosted page', () => {
  it('asks for a code with the S256 challenge of the verifier it keeps, and a state', async () => {
    const storage = memoryStore();
    const url = new URL(await authorizeUrl(signIn, storage, '#/campaigns'));
    expect(`${url.origin}${url.pathname}`).toBe(`${signIn.domain}/oauth2/authorize`);
    const pending = JSON.parse(storage.items.get(PENDING_KEY)!);
    expect(pending).toEqual({ state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), verifier: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), returnTo: '#/campaigns' });
    expect(pending.state).not.toBe(pending.verifier);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: signIn.clientId,
      redirect_uri: signIn.redirectUri,
      scope: 'openid email profile',
      state: pending.state,
      code_challenge: await codeChallenge(pending.verifier),
      code_challenge_method: 'S256',
    });
    expect(url.search).toContain('scope=openid+email+profile');
  });

  it('replaces an earlier pending sign-in', async () => {
    const storage = memoryStore();
    await authorizeUrl(signIn, storage);
    const first = storage.items.get(PENDING_KEY);
    await authorizeUrl(signIn, storage);
    expect(storage.items.get(PENDING_KEY)).not.toBe(first);
    expect(storage.items.size).toBe(1);
  });
});

describe('coming back with a code', () => {
  async function started() {
    const storage = memoryStore();
    await authorizeUrl(signIn, storage, '#/contacts');
    const pending = JSON.parse(storage.items.get(PENDING_KEY)!) as { state: string; verifier: string };
    return { storage, pending };
  }
  const callback = (query: Record<string, string>) => new URL(`${signIn.redirectUri}?${new URLSearchParams(query)}`);

  it('trades the code and the verifier for tokens, form-encoded, and keeps the ID token', async () => {
    const { storage, pending } = await started();
    const endpoint = tokenEndpoint(200, { id_token: 'id.jwt.token', access_token: 'access.jwt.token', refresh_token: 'r', token_type: 'Bearer', expires_in: 3600 });
    const result = await completeCallback(signIn, callback({ code: 'the-code', state: pending.state }), storage, endpoint.post);
    expect(result).toEqual({ kind: 'signed-in', idToken: 'id.jwt.token', returnTo: '#/contacts' });
    expect(endpoint.requests).toHaveLength(1);
    const [{ url, init }] = endpoint.requests as [{ url: string; init: RequestInit }];
    expect(url).toBe(`${signIn.domain}/oauth2/token`);
    expect(init.method).toBe('POST');
    expect((init.headers as Record<string, string>)['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(String(init.body)))).toEqual({
      grant_type: 'authorization_code',
      client_id: signIn.clientId,
      code: 'the-code',
      redirect_uri: signIn.redirectUri,
      code_verifier: pending.verifier,
    });
    // The verifier is gone: the same URL again finds nothing to trade with.
    expect(storage.items.has(PENDING_KEY)).toBe(false);
    expect(await completeCallback(signIn, callback({ code: 'the-code', state: pending.state }), storage, endpoint.post)).toEqual({ kind: 'failed', reason: 'state mismatch' });
    expect(endpoint.requests).toHaveLength(1);
  });

  it('refuses a state this tab did not send (a login CSRF), without calling the token endpoint', async () => {
    const { storage } = await started();
    const endpoint = tokenEndpoint(200, { id_token: 'x' });
    expect(await completeCallback(signIn, callback({ code: 'c', state: 'someone-elses' }), storage, endpoint.post)).toEqual({ kind: 'failed', reason: 'state mismatch' });
    expect(await completeCallback(signIn, callback({ code: 'c' }), memoryStore(), endpoint.post)).toEqual({ kind: 'failed', reason: 'state mismatch' });
    expect(endpoint.requests).toEqual([]);
  });

  it('says what the hosted page or the token endpoint refused', async () => {
    const { storage, pending } = await started();
    expect(await completeCallback(signIn, callback({ error: 'access_denied', error_description: 'User is disabled.', state: pending.state }), storage)).toEqual({ kind: 'failed', reason: 'User is disabled.' });
    // A crafted link (no sign-in of this tab's behind it) shows none of its text.
    const crafted = await started();
    expect(await completeCallback(signIn, callback({ error: 'access_denied', error_description: 'Call +86 138 0000 0000 to unlock', state: 'guessed' }), crafted.storage)).toEqual({ kind: 'failed', reason: 'state mismatch' });
    const again = await started();
    expect(await completeCallback(signIn, callback({ code: 'old', state: again.pending.state }), again.storage, tokenEndpoint(400, { error: 'invalid_grant' }).post)).toEqual({ kind: 'failed', reason: 'invalid_grant' });
    const third = await started();
    expect(await completeCallback(signIn, callback({ code: 'c', state: third.pending.state }), third.storage, tokenEndpoint(200, { access_token: 'a' }).post)).toEqual({ kind: 'failed', reason: 'no ID token' });
    const fourth = await started();
    const offline = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    expect(await completeCallback(signIn, callback({ code: 'c', state: fourth.pending.state }), fourth.storage, offline)).toEqual({ kind: 'failed', reason: 'Failed to fetch' });
  });

  it('knows a callback URL, and what the address bar keeps after it', () => {
    expect(isCallback(callback({ code: 'c', state: 's' }))).toBe(true);
    expect(isCallback(callback({ error: 'access_denied' }))).toBe(true);
    expect(isCallback(new URL(`${signIn.redirectUri}#/surveys`))).toBe(false);
    expect(withoutCallback(new URL(`${signIn.redirectUri}?code=c&state=s&lang=en`))).toBe('/console?lang=en');
    expect(withoutCallback(new URL(`${signIn.redirectUri}?code=c&state=s`), '#/contacts')).toBe('/console#/contacts');
    expect(withoutCallback(new URL(`${signIn.redirectUri}?error=x&error_description=y`))).toBe('/console');
  });
});

describe('signing out', () => {
  it('goes to the hosted page\'s logout, back to the console', () => {
    const url = new URL(signOutUrl(signIn));
    expect(`${url.origin}${url.pathname}`).toBe(`${signIn.domain}/logout`);
    expect(Object.fromEntries(url.searchParams)).toEqual({ client_id: signIn.clientId, logout_uri: signIn.redirectUri });
  });
});
