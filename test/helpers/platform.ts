import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { AdjustableClock } from '../../functions/shared/clock';
import { startLocalPlatform, type LocalPlatform, type LocalPlatformOptions } from '../../functions/local/platform';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export function fixture(name: string): Record<string, unknown> {
  return parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

export interface TestPlatform extends LocalPlatform {
  /** Every DynamoDB command the platform sent, by name, so tests can prove there is no Scan. */
  commands: string[];
  /** The same commands with the partition key a PutItem wrote (the audit trail's writes are told apart by it). */
  commandLog: { name: string; pk?: string }[];
  api(method: string, path: string, options?: { body?: unknown; token?: string | null; headers?: Record<string, string> }): Promise<{ status: number; body: any; text: string; headers: Headers }>;
}

/**
 * The real local platform (in-memory dynalite on its unix socket, the local HTTP adapter), with
 * timers off and a frozen clock. `dynamo` runs it on another DynamoDB (test/helpers/dynamodb-backend.ts).
 */
export async function startTestPlatform(
  now = new Date('2026-11-10T02:00:00Z'),
  /** Another DynamoDB (test/helpers/dynamodb-backend.ts), a data directory, field encryption, ... */
  dynamo: Partial<LocalPlatformOptions> = {},
): Promise<TestPlatform> {
  const clock = new AdjustableClock();
  clock.freeze(now);
  const platform = await startLocalPlatform({ adminToken: ADMIN_TOKEN, computeEveryMinutes: 0, caseTimersEveryMinutes: 0, logLevel: 'SILENT', clock, ...dynamo });
  const commands: string[] = [];
  const commandLog: { name: string; pk?: string }[] = [];
  platform.deps.store.client.middlewareStack.add(
    (next, context) => async (args) => {
      commands.push(String(context.commandName));
      // The document client may pass the item marshalled ({ S: "..." }) or not, by step.
      const pk = (args.input as { Item?: { pk?: string | { S?: string } } }).Item?.pk;
      const partition = typeof pk === 'string' ? pk : pk?.S;
      commandLog.push({ name: String(context.commandName), ...(partition ? { pk: partition } : {}) });
      return next(args);
    },
    { step: 'initialize', name: 'recordCommands' },
  );
  const api: TestPlatform['api'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    const token = options.token === undefined ? ADMIN_TOKEN : options.token;
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${platform.url}${path}`, { method, headers, body, redirect: 'manual' });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, body: parsed, text, headers: response.headers };
  };
  return Object.assign(platform, { commands, commandLog, api });
}

/** The report pages of these views (`view=` of GET /admin/reports/{surveyId}), as one text: what a reader sees going through them. */
export async function reportViews(platform: TestPlatform, path: string, views: readonly string[]): Promise<string> {
  const pages = await Promise.all(views.map((view) => platform.api('GET', `${path}&view=${view}`, { headers: { accept: 'text/html' } })));
  for (const page of pages) if (page.status !== 200) throw new Error(`${path}: ${page.status} ${page.text.slice(0, 200)}`);
  return pages.map((page) => page.text).join('\n');
}
