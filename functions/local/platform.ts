/**
 * The whole platform on one machine: embedded DynamoDB, the table, the questionnaires in surveys/,
 * the HTTP API through the local adapter, and the schedules on timers. `npm start` and the
 * integration tests both start it through this function, so tests exercise what users run.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import * as z from '../domain/zod';
import { handleInboundSms } from '../app/inbound';
import { DISPATCH_LEASE_MS } from '../app/dispatch';
import { normalisePhone, type CountryCode } from '../domain/distribution/phone';
import { publishCommitmentsDirectory } from './commitment-files';
import { recordDeliveryReceipt } from '../app/delivery-receipts';
import type { SmsProvider } from '../app/ports';
import { problemsFromZod } from '../domain/errors';
import { InProcessQueue } from './in-process-queue';
import { LocalOutbox } from './outbox';
import { maskPhone } from '../shared/privacy';
import { CONSOLE_PATH_ALIASES } from './console-route';
import type { Deps } from '../app/deps';
import { publishSurvey } from '../app/surveys';
import { DomainError } from '../domain/errors';
import { scheduledFunctions } from '../manifest';
import { AdjustableClock } from '../shared/clock';
import { configFromEnv } from '../shared/config';
import { createLogger } from '../shared/logger';
import { questionnaireFilesIn, readQuestionnaireFile } from '../shared/questionnaire-files';
import { connectStore, type DynamoStore } from '../store/dynamo-store';
import { startEmbeddedDynamo } from './embedded-dynamo';
import { authenticate, createLocalServer, readBody, type Authentication, type ExtraRoute } from './http-adapter';
import { BREAK_GLASS_ISSUER, CLAIMS } from '../http/caller';
import { authRoutes } from './auth-routes';
import { LoginThrottle } from './login-throttle';
import { LocalTokens } from './tokens';
import { queueConsumerFactories, scheduledJobFactories } from './handlers';
import { sealClearFields } from '../app/field-sealing';
import { fieldKeyFile } from './field-key-file';
import { localDirectory } from './local-directory';

export type LocalDeps = Deps & { store: DynamoStore };

export interface LocalPlatformOptions {
  /** Where data persists; undefined keeps everything in memory. */
  dataDir?: string | undefined;
  port?: number;
  host?: string;
  /** Listen on a non-loopback address although the dev routes are served (MANYI_ALLOW_REMOTE). */
  allowRemoteDevRoutes?: boolean;
  adminToken?: string | undefined;
  /** Minutes between scheduled runs; 0 disables the timers (tests trigger jobs themselves). */
  computeEveryMinutes?: number;
  /** Minutes between dispatcher runs (default 1); 0 disables the timer. */
  dispatchEveryMinutes?: number;
  /** Minutes between case-timer runs (default 1, as on AWS); 0 disables the timer. */
  caseTimersEveryMinutes?: number;
  /** Wraps the local SMS provider (tests inject provider faults and crashes this way). */
  wrapSms?: (provider: SmsProvider) => SmsProvider;
  /** Questionnaires to publish at start; undefined publishes none. */
  surveysDir?: string | undefined;
  clock?: AdjustableClock;
  /** Minutes between retention purges (0: none); hourly by default, where AWS runs it daily. */
  retentionEveryMinutes?: number;
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  tableName?: string;
  /**
   * A DynamoDB to use instead of starting the embedded one (the store's tests against DynamoDB
   * Local): the client configuration that reaches it. The platform neither starts nor stops it.
   */
  externalDynamo?: { clientConfig: NonNullable<Parameters<typeof connectStore>[1]> };
  /**
   * Seal phone numbers, names and e-mail addresses at rest with the key file in the data directory
   * (default: MANYI_FIELD_ENCRYPTION=on).
   */
  fieldEncryption?: boolean;
  /** Messages for the person running the platform (start-up report); silent by default. */
  print?: (line: string) => void;
}

export interface LocalPlatform {
  url: string;
  adminToken: string;
  /** Signs local sign-in tokens (tests mint a user's token with it, as POST /auth/login would). */
  tokens: LocalTokens;
  /** The platform's dependencies; its store is the DynamoDB one (tests read its client). */
  deps: LocalDeps;
  clock: AdjustableClock;
  outbox: LocalOutbox;
  queue: InProcessQueue;
  /** The unix socket the embedded DynamoDB listens on (no TCP port); undefined with an external DynamoDB. */
  dynamoSocket: string | undefined;
  /** Runs a scheduled job now, exactly as its timer would. */
  runJob(name: keyof typeof scheduledJobFactories, event?: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

function resolveAdminToken(explicit: string | undefined, dataDir: string | undefined): string {
  if (explicit) return explicit;
  const file = dataDir ? join(dataDir, 'admin-token') : undefined;
  if (file && existsSync(file)) return readFileSync(file, 'utf8').trim();
  const token = randomBytes(24).toString('base64url');
  if (file) writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}

/** A dev route's JSON body, read with the API's size limit; a body that does not say it is JSON is refused. */
function jsonOf(req: IncomingMessage, body: Buffer): unknown {
  if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
    // text/plain is what another site's form can send: the dev routes take JSON only.
    throw Object.assign(new Error('send application/json'), { status: 415 });
  }
  const text = body.toString('utf8');
  return text.trim() ? JSON.parse(text) : {};
}

/** Whether a host name or address is this machine only. */
export const isLoopback = (host: string): boolean => host === 'localhost' || /^127\./.test(host) || host === '::1' || host === '[::1]';

function sendJson(res: ServerResponse, status: number, body: unknown): true {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
  return true;
}

/** A reply from a number, or (the console's reply box, which may show the number masked) to an invitation's message. */
const inboundSchema = z.union([
  z.strictObject({ from: z.string().check(z.minLength(1)), body: z.string() }),
  z.strictObject({ replyTo: z.string().check(z.minLength(1), z.maxLength(100)), body: z.string() }),
]);
const clockSchema = z.strictObject({ now: z.nullable(z.iso.datetime({ offset: true })) });

/**
 * The local runtime's own routes (they do not exist on AWS): the SMS outbox, a simulated inbound
 * SMS, and the clock that schedules, delays, quiet hours and expiry read.
 */
function devRoutes(deps: Deps, outbox: LocalOutbox, clock: AdjustableClock, auth: { adminToken: string; tokens: LocalTokens }): ExtraRoute[] {
  /**
   * Who calls: the break-glass token, or a signed-in, enabled user (its role and pii), or nobody
   * with a password still to change.
   */
  const callerOf = async (authentication: Authentication): Promise<{ role: string; pii: boolean } | undefined> => {
    if (!authentication || 'refused' in authentication) return undefined;
    if (authentication.claims.iss === BREAK_GLASS_ISSUER) return { role: 'admin', pii: true };
    const user = await deps.store.getUser(authentication.claims[CLAIMS.username] ?? '');
    if (!user || user.disabled || authentication.claims[CLAIMS.passwordChange] === 'true') return undefined;
    return { role: user.role, pii: user.pii };
  };
  return [
    async (req, url, res) => {
      if (!url.pathname.startsWith('/dev/') || url.pathname === '/dev/login') return false;
      const route = `${req.method} ${url.pathname}`;
      try {
        const body = await readBody(req);
        // The outbox holds phone numbers and working links, the clock moves every deadline.
        const authentication = await authenticate(req, body, auth);
        if (authentication && 'refused' in authentication) return sendJson(res, authentication.refused, { message: authentication.message });
        if (!authentication) return sendJson(res, 401, { message: 'Unauthorized: the dev routes need an admin (bearer token or session)' });
        const caller = await callerOf(authentication);
        // Admins only: the outbox's bodies hold customers' names and working links of every unit,
        // and a simulated reply acts for any number, which no unit scope could bound.
        if (caller?.role !== 'admin') return sendJson(res, 403, { message: 'the dev routes are for admins' });
        const readJson = () => jsonOf(req, body);
        switch (route) {
          case 'GET /dev/outbox':
            // Numbers are masked for an admin without pii, as every page and export masks them.
            return sendJson(res, 200, outbox.list(url.searchParams.get('channel') ?? undefined).map((message) => (caller.pii ? message : { ...message, to: maskPhone(message.to) })));
          case 'POST /dev/sms/inbound': {
            const parsed = inboundSchema.safeParse(readJson());
            if (!parsed.success) return sendJson(res, 400, { message: 'expected {"from","body"} or {"replyTo": invitationId, "body"}', errors: problemsFromZod(parsed.error.issues) });
            const from = 'from' in parsed.data ? parsed.data.from : outbox.numberOf(parsed.data.replyTo);
            if (!from) return sendJson(res, 404, { message: 'no message of that invitation is in the outbox' });
            return sendJson(res, 200, await handleInboundSms(deps, { from, body: parsed.data.body }, (raw) => normalisePhone(raw, deps.config.defaultRegion as CountryCode)));
          }
          case 'GET /dev/clock':
            return sendJson(res, 200, { now: clock.now().toISOString() });
          case 'POST /dev/clock': {
            const parsed = clockSchema.safeParse(readJson());
            if (!parsed.success) return sendJson(res, 400, { message: 'expected {"now":"ISO time with offset"} or {"now":null} for real time', errors: problemsFromZod(parsed.error.issues) });
            if (parsed.data.now === null) clock.reset();
            else clock.set(new Date(parsed.data.now));
            return sendJson(res, 200, { now: clock.now().toISOString() });
          }
          default:
            return sendJson(res, 404, { message: 'Not Found' });
        }
      } catch (error) {
        if (error instanceof SyntaxError) return sendJson(res, 400, { message: 'the body is not valid JSON' });
        const status = (error as { status?: number }).status;
        if (status === 415) return sendJson(res, 415, { message: 'the dev routes take application/json' });
        if (error instanceof DomainError) return sendJson(res, 400, { message: error.message, errors: error.problems });
        // A body over the limit (413) is answered by the adapter, as for every route.
        throw error;
      }
    },
  ];
}

async function publishDirectory(deps: Deps, dir: string, print: (line: string) => void): Promise<void> {
  for (const file of questionnaireFilesIn(dir)) {
    const result = readQuestionnaireFile(file);
    if (!result.ok) {
      print(`  ${file}: not published: ${result.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
      continue;
    }
    try {
      const published = await publishSurvey(deps, result.questionnaire);
      print(`  ${file}: ${published.surveyId} v${published.version} ${published.status === 'created' ? 'published' : 'unchanged'}`);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      print(`  ${file}: not published: ${error.message}`);
    }
  }
}

export async function startLocalPlatform(options: LocalPlatformOptions = {}): Promise<LocalPlatform> {
  const print = options.print ?? (() => {});
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host) && !options.allowRemoteDevRoutes) {
    // The dev routes (outbox, clock, simulated SMS) and the embedded table are for one machine.
    throw new Error(`MANYI_HOST=${host} would open the local platform's dev routes to the network: set MANYI_ALLOW_REMOTE=true to do it anyway`);
  }
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  // dynalite checks no credentials: its socket sits in the data directory (0700), never on a TCP
  // port another local user could reach; in memory (tests), in a private temporary directory.
  const dynamo = options.externalDynamo
    ? { clientConfig: options.externalDynamo.clientConfig, socketPath: undefined, close: async () => {} }
    : await startEmbeddedDynamo({ dataDir: options.dataDir ? join(options.dataDir, 'dynamodb') : undefined, listen: { socketDir: options.dataDir } });
  const tableName = options.tableName ?? 'manyi';
  const config = configFromEnv({ ...process.env, TABLE_NAME: tableName });
  const fieldEncryption = options.fieldEncryption ?? config.fieldEncryption.enabled;
  config.fieldEncryption = { enabled: fieldEncryption, kmsKeyId: undefined };
  const fieldKeyPath = options.dataDir ? join(options.dataDir, 'field-key') : undefined;
  if (!fieldEncryption && fieldKeyPath && existsSync(fieldKeyPath)) {
    await dynamo.close();
    // Its fields are sealed: without the key every contact would fail to read.
    throw new Error(`${fieldKeyPath} exists: this data was written with field encryption on; start with MANYI_FIELD_ENCRYPTION=on`);
  }
  const clock = options.clock ?? new AdjustableClock();
  const outbox = new LocalOutbox(clock, options.dataDir ? join(options.dataDir, 'outbox.jsonl') : undefined);
  const queue = new InProcessQueue();
  const deps: LocalDeps = {
    config,
    clock,
    store: connectStore(tableName, dynamo.clientConfig, fieldEncryption ? fieldKeyFile(fieldKeyPath) : 'clear'),
    logger: createLogger({ logLevel: options.logLevel ?? 'WARN' }),
    sms: options.wrapSms ? options.wrapSms(outbox) : outbox,
    outbox,
    queue,
    directory: localDirectory({ get store() { return deps.store; }, clock }),
  };
  queue.attach(queueConsumerFactories.SmsSender(deps));
  // The local carrier delivers every message at once, through the same path as AWS's receipts.
  // A receipt that cannot be stored is lost, as a provider's would be: never the send's failure.
  outbox.onDelivered = async (entry) => {
    try {
      await recordDeliveryReceipt(deps, { eventType: 'TEXT_DELIVERED', messageStatus: 'DELIVERED', phone: entry.to, campaignId: entry.campaignId, invitationId: entry.invitationId, at: entry.sentAt });
    } catch (error) {
      deps.logger.warn('a local delivery receipt was not recorded', { invitationId: entry.invitationId, error: error as Error });
    }
  };
  await deps.store.ensureTable();
  // Leases of a process that is gone (a crash, kill -9) went with its in-process queue: due at once.
  const now = clock.now();
  const released = await deps.store.releaseOrphanedLeases(queue.leaseOwner, now.toISOString(), new Date(now.getTime() + DISPATCH_LEASE_MS).toISOString());
  if (released > 0) print(`  ${released} invitation(s) leased by a stopped process are due again`);
  if (fieldEncryption) {
    print(`  field encryption on: the key is ${fieldKeyPath ?? 'in memory'} (back it up with the data)`);
    // What was written before encryption was turned on is sealed before anything is served.
    const sealing = await sealClearFields(deps);
    if (sealing && sealing.fieldsSealed + sealing.keysMoved > 0) print(`  sealed ${sealing.fieldsSealed} record(s) and moved ${sealing.keysMoved} key(s) written in clear`);
  }
  if (options.surveysDir) {
    await publishDirectory(deps, options.surveysDir, print);
    const commitmentsDir = join(options.surveysDir, 'commitments');
    if (existsSync(commitmentsDir)) await publishCommitmentsDirectory(deps, commitmentsDir, print);
  }

  const adminToken = resolveAdminToken(options.adminToken, options.dataDir);
  const tokens = await LocalTokens.open({ dataDir: options.dataDir, clock, lifetimeHours: config.sessionHours });
  const signInRoutes = authRoutes({ store: deps.store, clock, tokens, throttle: new LoginThrottle(clock), adminToken });
  const server: Server = createLocalServer({
    deps,
    adminToken,
    tokens,
    extraRoutes: [...signInRoutes, ...devRoutes(deps, outbox, clock, { adminToken, tokens })],
    pathAliases: CONSOLE_PATH_ALIASES,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host && options.host !== '0.0.0.0' ? options.host : 'localhost'}:${port}`;
  // Respondent links come from configuration only: here, unless PUBLIC_BASE_URL says otherwise, the listening address.
  if (!deps.config.publicBaseUrl) deps.config = { ...deps.config, publicBaseUrl: url };

  const jobs = Object.fromEntries(Object.entries(scheduledJobFactories).map(([name, factory]) => [name, factory(deps)]));
  const runJob = async (name: keyof typeof scheduledJobFactories, event: unknown = {}) => {
    const job = jobs[name];
    if (!job) throw new Error(`unknown job ${name}`);
    return job(event);
  };

  // The schedules: one timer per scheduled function, never two runs of one job at once.
  const timers: NodeJS.Timeout[] = [];
  // The retention purge runs hourly here (daily on AWS): a local platform rarely runs for a day.
  const minutesOf: Record<string, number> = { ComputeIndices: options.computeEveryMinutes ?? 5, Dispatch: options.dispatchEveryMinutes ?? 1, CaseTimers: options.caseTimersEveryMinutes ?? 1, Retention: options.retentionEveryMinutes ?? 60 };
  for (const spec of scheduledFunctions) {
    const everyMinutes = minutesOf[spec.name] ?? 0;
    if (everyMinutes > 0) {
      let running = false;
      timers.push(
        setInterval(() => {
          if (running) return;
          running = true;
          runJob(spec.name)
            .then((summary) => {
              if (spec.name === 'ComputeIndices' || (summary as { queued?: number }).queued || (summary as { opened?: number }).opened || (summary as { escalated?: number }).escalated) print(`[${clock.now().toISOString()}] ${spec.name}: ${JSON.stringify(summary)}`);
            })
            .catch((error: unknown) => deps.logger.error(`${spec.name} failed`, { error: error as Error }))
            .finally(() => {
              running = false;
            });
        }, everyMinutes * 60_000),
      );
    }
  }

  return {
    url,
    adminToken,
    tokens,
    deps,
    clock,
    outbox,
    queue,
    dynamoSocket: dynamo.socketPath,
    runJob,
    stop: async () => {
      timers.forEach(clearInterval);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      deps.store.client.destroy();
      await dynamo.close();
    },
  };
}
