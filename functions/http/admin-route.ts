/**
 * What every admin route runs through, in one list: the audit trail around everything, the error
 * mapping and compression (./middleware.ts), then the caller's authentication and role check
 * (./caller.ts). Writes (any method but GET) append an audit record whatever their outcome,
 * refusals included.
 */
import type { MiddlewareObj, Request } from '@middy/core';
import { appendAudit, bodyDigest } from '../app/audit';
import type { Deps } from '../app/deps';
import type { AuditRecord } from '../domain/access/audit';
import { authenticate, maybeCallerOf, refusedIdentityOf, type Caller } from './caller';
import { httpResponses, rawBody, type HttpEvent, type HttpResult } from './middleware';

type AdminRequest = Request<HttpEvent, HttpResult>;

/** At most this many target ids per record (an import of 5,000 contacts names its first ones). */
const MAX_TARGET_IDS = 50;

const isWrite = (event: HttpEvent) => !['GET', 'HEAD', 'OPTIONS'].includes(event.requestContext.http.method.toUpperCase());

/** Ids the answer names: top-level string fields ending in "Id", then those of its first list. */
function idsInAnswer(body: string | undefined): string[] {
  if (!body) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  if (!parsed || typeof parsed !== 'object') return [];
  const ids: string[] = [];
  const collect = (value: Record<string, unknown>) => {
    for (const [key, inner] of Object.entries(value)) if (/Id$/.test(key) && typeof inner === 'string') ids.push(inner);
  };
  collect(parsed as Record<string, unknown>);
  const list = Object.values(parsed as Record<string, unknown>).find(Array.isArray) as unknown[] | undefined;
  for (const item of list ?? []) {
    if (ids.length >= MAX_TARGET_IDS) break;
    if (item && typeof item === 'object') collect(item as Record<string, unknown>);
  }
  return ids;
}

/** The unit a write concerned: the deepest unit above all the units it checked, else the caller's first unit. */
async function unitOf(caller: Caller | undefined): Promise<string | undefined> {
  if (!caller) return undefined;
  const checked = [...caller.access.checkedUnits];
  if (checked.length === 0) return caller.user?.orgUnits[0];
  if (checked.length === 1) return checked[0];
  const { tree } = await caller.access.scope();
  const paths = checked.map((id) => tree.path(id));
  let common: string | undefined;
  for (let depth = 0; paths.every((path) => path[depth] !== undefined && path[depth] === paths[0]![depth]); depth++) common = paths[0]![depth];
  return common;
}

export interface AdminRouteOptions {
  /** Audit reads too: a route whose answer is itself personal data (a person's export). */
  auditReads?: boolean;
}

export function adminRoute(deps: Deps, options: AdminRouteOptions = {}): MiddlewareObj<HttpEvent, HttpResult>[] {
  const answers = new WeakMap<HttpEvent, string | undefined>();
  const audited = (event: HttpEvent) => options.auditReads === true || isWrite(event);

  const record = async (request: AdminRequest) => {
    const { event } = request;
    if (!audited(event)) return;
    const caller = maybeCallerOf(event);
    const status = request.response?.statusCode ?? 500;
    const pathIds = Object.values(event.pathParameters ?? {}).filter((id): id is string => typeof id === 'string');
    // A refused caller (disabled, unknown) is named as it claimed to be: who tried matters most.
    const claimed = caller ? undefined : refusedIdentityOf(event);
    const orgUnit = (await unitOf(caller)) ?? claimed?.orgUnit;
    const digest = bodyDigest(rawBody(event));
    const entry: AuditRecord = {
      auditId: `aud_${event.requestContext.requestId}`,
      at: deps.clock.now().toISOString(),
      userId: caller?.userId ?? claimed?.userId ?? 'anonymous',
      role: caller?.role ?? claimed?.role ?? 'none',
      action: event.routeKey,
      targetIds: [...new Set([...pathIds, ...idsInAnswer(answers.get(event))])].slice(0, MAX_TARGET_IDS),
      ...(orgUnit ? { orgUnit } : {}),
      status,
      outcome: status < 400 ? 'succeeded' : status < 500 ? 'refused' : 'failed',
      ...(digest ? { bodyDigest: digest } : {}),
      requestId: event.requestContext.requestId,
    };
    try {
      await appendAudit(deps, entry);
    } catch (error) {
      // The write itself is done: its answer stands, and the missing record is an alarm, not a 500.
      deps.logger.error('audit record not written', { error: error as Error, routeKey: event.routeKey, auditId: entry.auditId });
    }
  };

  const recorder: MiddlewareObj<HttpEvent, HttpResult> = { after: record, onError: record };
  // Runs before compression: it keeps the answer's text for the ids it names.
  const capture: MiddlewareObj<HttpEvent, HttpResult> = {
    after: (request) => {
      // Ids named by a write's answer; an audited read's answer (personal data) is not looked into.
      if (isWrite(request.event)) answers.set(request.event, request.response?.body);
    },
  };
  return [recorder, ...httpResponses(deps.logger), capture, authenticate(deps)];
}
