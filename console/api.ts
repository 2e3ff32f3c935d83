/** The console's one way to the HTTP API: the signed-in user's token as a bearer, errors typed. */
import type { Problem } from '../functions/domain/errors';

const TOKEN_KEY = 'manyi.console.token';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problems: readonly Problem[] = [],
  ) {
    super(message);
  }
}

export const session = {
  // sessionStorage: the token ends with the tab, and no other site's page can read it.
  get token(): string | null {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  set token(value: string | null) {
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
  },
};

export type Body = { json: unknown } | { csv: string } | undefined;

/** `extra` headers go with the request (e.g. the `Idempotency-Key` of POST /admin/cases). */
export async function api<T>(method: string, path: string, body?: Body, extra: Readonly<Record<string, string>> = {}): Promise<T> {
  const headers: Record<string, string> = { ...extra, accept: 'application/json' };
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  let payload: string | undefined;
  if (body && 'json' in body) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body.json);
  } else if (body && 'csv' in body) {
    headers['content-type'] = 'text/csv; charset=utf-8';
    payload = body.csv;
  }
  const response = await fetch(path, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) {
    const error = (parsed ?? {}) as { message?: string; errors?: Problem[] };
    if (response.status === 401 && path !== '/auth/login') session.token = null;
    throw new ApiError(response.status, error.message ?? response.statusText, error.errors ?? []);
  }
  return parsed as T;
}

/** What a page shows of a failure: the API's message (only 4xx carry one), else the error's. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The message with each problem the API named (`path message`): for a refused import or form. */
export const detailOf = (error: unknown): string =>
  error instanceof ApiError && error.problems.length > 0 ? `${error.message}: ${error.problems.map((p) => `${p.path} ${p.message}`).join('; ')}` : messageOf(error);
