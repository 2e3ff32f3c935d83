/**
 * Fault and fuzz tests of every route (issue #12): property-based (fast-check), malformed requests
 * to each route of the route table (functions/http/routes.ts, read programmatically: a new route is
 * fuzzed without a change here, with a generic template until it gets one below) and to the local
 * runtime's own routes (sign-in, functions/local/auth-routes.ts; dev, functions/local/platform.ts),
 * which the table does not list. For every request:
 *
 *   1. no 5xx (and an answer at all: no dropped connection, no hang);
 *   2. GET /health still answers 200 afterwards;
 *   3. a 4xx stored nothing: no DynamoDB write caused by the request other than ALLOWED_WRITES_ON_4XX
 *      below; no SMS sent; the platform's clock not moved. The writes are those of the platform's
 *      DynamoDB client, like TestPlatform.commandLog, but recorded with the request that caused them
 *      (a tag, test/helpers/fuzz.ts) and their outcome: startTestPlatform leaves the dispatcher's
 *      one-minute timer on, whose writes are no request's, and a conditional write its condition
 *      refused stores nothing.
 *
 * The malformed inputs (test/helpers/fuzz.ts): the route's valid body with fields deleted, replaced
 * by a value of another type, over-long strings (10k-70k), huge arrays (10,001-100,000), deep
 * nesting (up to 100,000 levels), `__proto__`/`constructor`/`prototype` keys, numbers JSON.stringify
 * cannot write (1e400); another JSON value at the root; non-JSON text; invalid UTF-8 bytes; form,
 * multipart and CSV bodies; empty bodies; wrong or odd content types; path parameters over-long,
 * unicode, percent-encoded (also malformed), `..`, raw bytes 0x80-0xff; query strings repeated,
 * over-long, with hostile keys; odd Accept, Accept-Language, Accept-Encoding and Origin headers.
 * Admin routes are called mostly with the break-glass admin token, some without a token, with a
 * forged one, as an analyst, with a junk cookie.
 *
 * Reproducing: every route has a fixed seed (FUZZ_SEED, default below, mixed with the route key);
 * fast-check prints the seed, the path and the counterexample of a failure, and the failure message
 * shows the request as sent (and the stack the platform logged for a 5xx). FUZZ_RUNS_SCALE scales
 * the number of runs (4 or more to search; the default keeps the file under a minute on 2 cores),
 * FUZZ_VERBOSE=1 prints every request. The routes share one platform and run in order (a campaign
 * created by one run is there for the next), so reproduce with the whole file. Each route's runs stop
 * after ROUTE_BUDGET_MS (the shrinking of a failure included).
 *
 * FINDINGS (end of the file) keeps what the fuzzer found as one request each.
 */
import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRoutes } from '../../functions/http/routes';
import {
  buildRequest,
  currentTag as tagOfContext,
  describeRequest,
  FUZZ_HEADER,
  recordCommands,
  requestSpec,
  send,
  tagIncomingRequests,
  WRITE_COMMANDS,
  type RawRequest,
  type RawResponse,
  type RecordedCommand,
  type RequestSpec,
  type RouteTemplate,
} from '../helpers/fuzz';
import { ADMIN_TOKEN, fixture, startTestPlatform, type TestPlatform } from '../helpers/platform';
import { BRANCH_TREE, createTestUser, TEST_PASSWORD } from '../helpers/users';

const NOW = new Date('2026-11-10T02:00:00Z');
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_112);
const RUN_SCALE = Number(process.env.FUZZ_RUNS_SCALE ?? 1);

// ---- the routes ----------------------------------------------------------------------------------

interface FuzzRoute {
  key: string;
  method: string;
  path: string;
  /** Needs an admin: the table's admin routes, and the dev routes (which check it themselves). */
  admin: boolean;
  source: 'route table' | 'local sign-in' | 'local dev';
}

const routeOf = (key: string, admin: boolean, source: FuzzRoute['source']): FuzzRoute => {
  const [method = 'GET', path = '/'] = key.split(' ');
  return { key, method, path, admin, source };
};

/** Every route key of functions/http/routes.ts. */
const TABLE_ROUTES: FuzzRoute[] = Object.values(httpRoutes).flatMap((fn) => fn.routes.map((key) => routeOf(key, fn.access === 'admin', 'route table')));

/** The local runtime's own routes: not in the table (they do not exist on AWS), so listed here. */
const LOCAL_ROUTES: FuzzRoute[] = [
  ...['GET /login', 'POST /auth/login', 'POST /auth/logout', 'GET /dev/login'].map((key) => routeOf(key, false, 'local sign-in')),
  ...['GET /dev/outbox', 'POST /dev/sms/inbound', 'GET /dev/clock', 'POST /dev/clock'].map((key) => routeOf(key, true, 'local dev')),
];

const ROUTES = [...TABLE_ROUTES, ...LOCAL_ROUTES];

/** Runs per route: fewer where a run does real work (hashing a password, computing), more where a body has most to break. */
const DEFAULT_RUNS = 45;
const RUNS: Record<string, number> = {
  'GET /health': 20,
  'GET /console': 20,
  'GET /console/{asset+}': 30,
  'POST /auth/login': 30,
  'POST /admin/users': 30,
  'POST /admin/jobs/compute-indices': 30,
  'POST /s/{token}': 70,
  'POST /admin/campaigns': 60,
  'POST /admin/service-events': 60,
  'POST /admin/contacts': 60,
};
const runsOf = (key: string) => Math.max(1, Math.round((RUNS[key] ?? DEFAULT_RUNS) * RUN_SCALE));

/** A seed per route that does not move when routes are added: FUZZ_SEED mixed with the key. */
const seedOf = (key: string) => [...key].reduce((hash, ch) => Math.imul(hash ^ ch.charCodeAt(0), 16_777_619) >>> 0, SEED >>> 0) | 0;

// ---- writes a refused request may make -----------------------------------------------------------

/** Admin reads that are audited too (`adminRoute(deps, { auditReads: true })`): their answer is personal data. */
const AUDITED_READS = new Set(['GET /admin/privacy/export']);

interface AllowedWrite {
  reason: string;
  allows: (command: RecordedCommand, route: FuzzRoute, status: number) => boolean;
}

/**
 * The only DynamoDB writes a request answered 4xx may send, each found by reading the code:
 * anything else is "stored after a 4xx" and fails the test.
 */
const ALLOWED_WRITES_ON_4XX: AllowedWrite[] = [
  {
    reason:
      'the audit record of an admin write: functions/http/admin-route.ts appends one for every non-GET admin request that reaches a handler ' +
      '(and for the reads of a route with `auditReads`, GET /admin/privacy/export), whatever its outcome ("refused" for a 4xx): one PutItem to the AUDIT#<day> partition (docs/access.md)',
    allows: (command, route) =>
      route.source === 'route table' &&
      route.admin &&
      (route.method !== 'GET' || AUDITED_READS.has(route.key)) &&
      /^Put(Item)?Command$/.test(command.name) &&
      command.pks.length > 0 &&
      command.pks.every((pk) => pk.startsWith('AUDIT#')),
  },
  {
    reason:
      'a conditional write its condition refused (ConditionalCheckFailedException): it stores nothing; the put-if-absent behind a 409 ' +
      '(POST /admin/surveys: the catalogue entry and the version of a questionnaire version published with other content; POST /admin/users: the e-mail claim of a duplicate; ' +
      'POST /s/{token}: the response of the loser of two submissions; POST /admin/service-events: an event posted again with other content)',
    allows: (command) => !command.ok && command.error === 'ConditionalCheckFailedException',
  },
];
// Not writes at all, so nothing to allow: the sign-in throttle (functions/local/login-throttle.ts)
// counts failed sign-ins in memory; GET /dev/login and POST /auth/login sign tokens without storing them.

// ---- the platform and its data -------------------------------------------------------------------

let platform: TestPlatform;
let commands: RecordedCommand[];
let undoTagging: () => void;
const loggedErrors: { tag: string | undefined; text: string }[] = [];

const data = {
  openTokens: [] as string[],
  answeredToken: '',
  campaignId: '',
  invitationIds: [] as string[],
  analystToken: '',
  spareUserId: '',
  loginEmail: '',
  caseId: '',
  /** The built console's files, as its page names them (hashed names). */
  consoleFiles: [] as string[],
};

const miniCsi = fixture('mini-csi.yaml');
const sms = { signature: '【示例银行】', template: { 'zh-CN': '您好，请评价：{link}', en: 'Please rate: {link}' }, marketing: false };
const serviceEvent = {
  eventId: 'fuzz-ev-1',
  type: 'repair',
  orgUnitId: 'n1',
  contact: { name: '客户一', phone: '13800000101' },
  occurredAt: '2026-11-09T10:00:00+08:00',
  reportedAt: '2026-11-09T10:00:00+08:00',
};
const commitments = {
  commitments: [
    { id: 'gas.repair.handle', title: { 'zh-CN': '6小时内处理', en: 'Handled within 6 hours' }, eventType: 'repair', from: 'reportedAt', to: 'handledAt', target: 'PT6H' },
    { id: 'gas.complaint.answer', eventType: 'complaint', from: 'receivedAt', to: 'answeredAt', target: 'PT48H' },
  ],
};
/** A contact of its own for the erasure route (erasing the others' data would change what the other routes find). */
const ERASED_PHONE = '13800138077';
const UNKNOWN_TOKEN = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/** A route without a template of its own (a route added to the table since): fuzzed all the same, from nothing valid. */
const GENERIC_TEMPLATE: RouteTemplate = { json: { id: 'x', name: 'x' }, query: { id: 'x' } };

const templateOf = (key: string): RouteTemplate => templates()[key] ?? GENERIC_TEMPLATE;

/** The valid request of each route, which the fuzzer breaks. */
function templates(): Record<string, RouteTemplate> {
  const tokens = () => [...data.openTokens, data.answeredToken, UNKNOWN_TOKEN];
  return {
    'GET /health': {},
    'GET /console': {},
    'GET /console/{asset+}': { params: { asset: () => [...data.consoleFiles, 'build.json', '../package.json'] } },
    'GET /s/{token}': { params: { token: tokens }, query: { lang: 'en' } },
    'POST /s/{token}': {
      params: { token: tokens },
      query: { lang: 'en' },
      json: { answers: { q1: 4, q2: 3, q3: 2, q4: 5, q5: 1, channel: 'app', comment: '很好' }, lang: 'en' },
      form: [['lang', 'en'], ['q1', '5'], ['q4', '4'], ['channel', 'counter'], ['comment', '好']],
    },
    'GET /s/{token}/thanks': { params: { token: () => [data.answeredToken, ...tokens()] }, query: { lang: 'en' } },
    'POST /admin/surveys': { json: miniCsi },
    'POST /admin/org-units': { json: { units: [{ id: 'n2', name: 'N2', parentId: 'north' }, { id: 'n3', name: 'N3', parentId: 'n2' }] } },
    'GET /admin/org-units': {},
    'GET /admin/surveys': { query: { limit: '10', archived: 'include' } },
    'GET /admin/surveys/{surveyId}/versions/{version}': { params: { surveyId: () => ['mini-csi', 'fuzz-draft'], version: () => ['1', '2', '0', '01'] } },
    'GET /admin/surveys/{surveyId}/draft': { params: { surveyId: () => ['fuzz-draft', 'mini-csi'] } },
    'PUT /admin/surveys/{surveyId}/draft': { params: { surveyId: () => ['fuzz-draft'] }, json: { definition: { ...miniCsi, id: 'fuzz-draft' }, baseRevision: 0 } },
    'POST /admin/surveys/{surveyId}/draft/publish': { params: { surveyId: () => ['fuzz-draft', 'mini-csi'] }, json: { revision: 1 } },
    'POST /admin/surveys/{surveyId}/archive': { params: { surveyId: () => ['mini-csi', 'fuzz-draft'] }, json: { archived: false } },
    'POST /admin/campaigns': {
      json: { surveyId: 'mini-csi', version: 1, channel: 'link', contacts: [{ orgUnitId: 'n1', name: '张三', phone: '+8613800000001', email: 'a@example.com', externalId: 'CRM-42' }], expiresInDays: 14 },
    },
    'POST /admin/campaigns/test-send': { json: { campaign: { surveyId: 'mini-csi', channel: 'sms', sms, segment: { orgUnitId: 'n1' } } } },
    'POST /admin/campaigns/preview': { json: { surveyId: 'mini-csi', channel: 'sms', sms, contacts: [{ orgUnitId: 'n1', phone: '13900000001' }] } },
    'GET /admin/campaigns/{campaignId}': { params: { campaignId: () => [data.campaignId, 'cmp_0123456789abcdef0123456789abcdef'] } },
    'GET /admin/campaigns': { query: { limit: '5' } },
    'GET /admin/contacts': { query: { query: '李', limit: '5' } },
    'POST /admin/invitations/{invitationId}/reissue': { params: { invitationId: () => [...data.invitationIds, 'inv_unknown'] }, json: { campaignId: data.campaignId } },
    'GET /admin/campaigns/{campaignId}/invitations': { params: { campaignId: () => [data.campaignId, 'cmp_0123456789abcdef0123456789abcdef'] }, query: { limit: '5' } },
    'POST /admin/jobs/compute-indices': { json: { period: '2026-11' } },
    'POST /admin/jobs/dispatch': { json: {} },
    'POST /admin/contacts': {
      json: { contacts: [{ orgUnitId: 'n1', name: '李四', phone: '13800138002', externalId: 'C002', grade: 'A', attributes: { tier: 'gold' } }] },
      csv: [['name', 'phone', 'orgUnitId', 'externalId', 'grade'], ['王五', '13800138003', 'n1', 'C003', 'B']],
    },
    'POST /admin/service-events': { json: serviceEvent },
    'GET /admin/service-events': { query: { period: '2026-11', orgUnit: 'north', limit: '5' } },
    'POST /admin/commitments': { json: commitments },
    'GET /admin/commitments': {},
    'GET /admin/commitments/compliance': { query: { period: '2026-11', orgUnit: 'north' } },
    'POST /admin/metrics': {
      json: { metrics: [{ orgUnitId: 'n1', period: '2026-11', customers: 1200, complaints: 3, marketShare: 0.12, repeatRate: 0.4, newCustomerRate: 0.1, profitPerCustomer: 35.5, competitorCsi: 71.2 }] },
      csv: [['orgUnitId', 'period', 'customers', 'complaints', 'competitorCsi'], ['n1', '2026-10', '1100', '2', '70']],
    },
    'GET /admin/metrics': { query: { period: '2026-11', orgUnit: 'north' } },
    'GET /admin/reports/{surveyId}': { params: { surveyId: () => ['mini-csi', 'nosuch'] }, query: { period: '2026-11', orgUnit: 'hq', version: '1', lang: 'en' } },
    'GET /admin/reports/{surveyId}/export': { params: { surveyId: () => ['mini-csi', 'nosuch'] }, query: { period: '2026-11', orgUnit: 'hq', format: 'csv', table: 'responses', lang: 'en' } },
    'POST /admin/users': { json: { email: 'fuzzed.user@example.com', name: 'Fuzzed', role: 'analyst', orgUnits: ['n1'], pii: false, language: 'en', password: TEST_PASSWORD } },
    'GET /admin/users': {},
    'PATCH /admin/users/{userId}': { params: { userId: () => [data.spareUserId, 'usr_0123456789abcdef0123456789abcdef', 'break-glass'] }, json: { name: 'Spare', language: 'en', role: 'manager', orgUnits: ['n1'] } },
    'GET /admin/me': {},
    'GET /admin/audit': { query: { from: '2026-11-01', to: '2026-11-10', userId: 'break-glass', orgUnit: 'hq' } },
    'POST /admin/cases': { json: { orgUnitId: 'n1', note: '客户来电投诉', priority: 'high', contact: { name: '王五', phone: '13800138003' } } },
    'GET /admin/cases': { query: { orgUnit: 'north', state: 'open', owner: 'me', overdue: 'true', limit: '5' } },
    'GET /admin/cases/{caseId}': { params: { caseId: () => [data.caseId, 'case_0123456789abcdef0123456789abcdef'] } },
    'POST /admin/cases/{caseId}/events': { params: { caseId: () => [data.caseId, 'case_unknown'] }, json: { type: 'comment', note: '已致电', version: 1 } },
    'POST /admin/alert-rules': { json: { surveyId: 'mini-csi', orgUnitId: 'north', rule: { id: 'fuzz-low', when: { any: [{ question: 'q4', atMost: 1 }, { comment: { question: 'comment', keywords: ['投诉'] } }] }, priority: 'high', sla: { firstContact: 'P1D', resolve: 'P5D' } } } },
    'GET /admin/alert-rules': {},
    'GET /admin/case-settings': {},
    'PUT /admin/case-settings': { json: { rootCauses: [{ id: 'staff-attitude', label: { 'zh-CN': '服务态度', en: 'Staff attitude' } }], workingHours: { start: '09:00', end: '17:30' } } },
    'POST /admin/jobs/case-timers': { json: {} },
    'POST /admin/privacy/erase': { json: { phone: ERASED_PHONE } },
    'GET /admin/privacy/export': { query: { phone: '13800138002', email: 'a@example.com', contactId: 'ct_0123456789abcdef0123456789abcdef' } },
    'GET /login': { query: { next: '/admin/me', lang: 'en' } },
    'POST /auth/login': { json: { email: data.loginEmail, password: TEST_PASSWORD }, form: [['email', data.loginEmail], ['password', TEST_PASSWORD], ['next', '/admin/me'], ['lang', 'en']] },
    'POST /auth/logout': { form: [] },
    'GET /dev/login': { query: { token: ADMIN_TOKEN, next: '/health' } },
    'GET /dev/outbox': { query: { channel: 'sms' } },
    'POST /dev/sms/inbound': { json: { from: '+8613800138000', body: 'TD' } },
    'GET /dev/clock': {},
    'POST /dev/clock': { json: { now: '2026-11-11T00:00:00+08:00' } },
  };
}

/** A request of the set-up (admin token, JSON). */
const api = (method: string, path: string, body?: unknown) => platform.api(method, path, body === undefined ? {} : { body });

beforeAll(async () => {
  undoTagging = tagIncomingRequests();
  platform = await startTestPlatform(NOW);
  commands = recordCommands(platform);
  // The platform logs nothing in tests; a 5xx's stack is what a report needs, so keep the errors.
  const logger = platform.deps.logger;
  const error = logger.error.bind(logger);
  const textOf = (arg: unknown): string => {
    if (arg instanceof Error) return arg.stack ?? String(arg);
    const inner = (arg as { error?: unknown } | null)?.error;
    return inner instanceof Error ? `${JSON.stringify({ ...(arg as object), error: undefined })} ${inner.stack}` : JSON.stringify(arg);
  };
  logger.error = ((...args: Parameters<typeof logger.error>) => {
    loggedErrors.push({ tag: tagOfContext(), text: args.map(textOf).join(' ') });
    Reflect.apply(error, logger, args);
  }) as typeof logger.error;

  const expectStatus = async <T extends { status: number; text: string }>(status: number, pending: Promise<T>): Promise<T> => {
    const res = await pending;
    expect(res.status, `${res.text}\n${loggedErrors.map((entry) => entry.text).join('\n')}`).toBe(status);
    return res;
  };
  await expectStatus(200, api('POST', '/admin/org-units', { units: BRANCH_TREE }));
  await expectStatus(201, api('POST', '/admin/surveys', miniCsi));
  const contacts = Array.from({ length: 150 }, (_, i) => ({ orgUnitId: i % 2 === 0 ? 'n1' : 's1', name: `受访者${i}` }));
  const campaign = (await expectStatus(201, api('POST', '/admin/campaigns', { surveyId: 'mini-csi', channel: 'link', contacts }))).body as { campaignId: string; invitations: { token: string; invitationId: string }[] };
  data.campaignId = campaign.campaignId;
  // The last ones only: re-issuing moves a token the respondent routes use.
  data.invitationIds = campaign.invitations.slice(-5).map((invitation) => invitation.invitationId);
  const [answered, ...open] = campaign.invitations.map((invitation) => invitation.token);
  data.answeredToken = answered as string;
  data.openTokens = open;
  await expectStatus(201, api('POST', `/s/${data.answeredToken}`, { answers: { q1: 4, q4: 5 }, lang: 'en' }));
  await expectStatus(200, api('POST', '/admin/contacts', { contacts: [{ orgUnitId: 'n1', name: '李四', phone: '13800138002', externalId: 'C002' }, { orgUnitId: 's1', name: '赵六', phone: ERASED_PHONE }] }));
  await expectStatus(201, api('POST', '/admin/service-events', serviceEvent));
  await expectStatus(200, api('POST', '/admin/commitments', commitments));
  await expectStatus(200, api('POST', '/admin/jobs/compute-indices', { period: '2026-11' }));
  data.analystToken = (await createTestUser(platform, { role: 'analyst', orgUnits: ['hq'] })).token;
  data.spareUserId = (await createTestUser(platform, { role: 'agent', orgUnits: ['n1'] })).userId;
  data.loginEmail = (await createTestUser(platform, { role: 'manager', orgUnits: ['north'], email: 'login.fuzz@example.com' })).email;
  data.caseId = (await expectStatus(201, api('POST', '/admin/cases', { orgUnitId: 'n1', note: '客户来电投诉' }))).body.caseId as string;
  data.consoleFiles = [...(await (await fetch(`${platform.url}/console`)).text()).matchAll(/"\/console\/([\w.-]+)"/g)].map((match) => match[1]!);
  await expectStatus(200, api('GET', '/admin/reports/mini-csi?period=2026-11&orgUnit=hq'));
}, 60_000);

afterAll(async () => {
  undoTagging?.();
  await platform?.stop();
  printSummary();
});

// ---- one request and its checks ------------------------------------------------------------------

let counter = 0;
let inFlight: Promise<RawResponse> | undefined;
/** The time one route's runs (and the shrinking of a failure) may take. */
const ROUTE_BUDGET_MS = 30_000;
/** A request without an answer by then fails (API Gateway ends an HTTP API request at 30 s). */
const REQUEST_TIMEOUT_MS = 20_000;

interface Outcome {
  route: string;
  status: number;
}
const outcomes: Outcome[] = [];
const allowedSeen = new Map<string, Set<string>>();

/** Over these sizes the server answers (413, 431) and closes the connection without reading the rest: a reset then is that answer. */
const MAX_BODY_BYTES = 6 * 1024 * 1024;
const MAX_HEADER_BYTES = 16 * 1024;

async function sendOrExplain(request: RawRequest): Promise<RawResponse> {
  try {
    return await send(platform.url, request, REQUEST_TIMEOUT_MS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const headerBytes = request.path.length + Object.entries(request.headers).reduce((sum, [name, value]) => sum + name.length + value.length + 4, 0);
    if ((code === 'ECONNRESET' || code === 'EPIPE') && (request.body?.length ?? 0) > MAX_BODY_BYTES) return { status: 413, headers: {}, body: Buffer.alloc(0) };
    if ((code === 'ECONNRESET' || code === 'EPIPE') && headerBytes > MAX_HEADER_BYTES) return { status: 431, headers: {}, body: Buffer.alloc(0) };
    throw new Error(`no answer (${code ?? (error as Error).message}) to\n  ${describeRequest(request)}`);
  }
}

const host = () => new URL(platform.url).host;

function fuzzOnce(route: FuzzRoute, spec: RequestSpec): Promise<RawResponse> {
  const tag = String(++counter);
  return checkRequest(route, buildRequest({ ...route, template: templateOf(route.key) }, spec, { adminToken: ADMIN_TOKEN, analystToken: data.analystToken }, host(), tag));
}

/** Sends one request and checks it: an answer below 500, nothing stored, sent or moved on a 4xx, /health still 200. */
async function checkRequest(route: FuzzRoute, request: RawRequest): Promise<RawResponse> {
  const tag = request.headers[FUZZ_HEADER] ?? '';
  const outboxBefore = platform.outbox.list().length;
  const started = Date.now();
  let response: RawResponse;
  let clockMoved: boolean;
  try {
    response = await sendOrExplain(request);
  } finally {
    clockMoved = platform.clock.now().getTime() !== NOW.getTime();
    // POST /dev/clock may move (or unfreeze) the clock: every run starts from the same instant.
    platform.clock.freeze(NOW);
  }
  outcomes.push({ route: route.key, status: response.status });
  if (process.env.FUZZ_VERBOSE) process.stderr.write(`${tag} ${route.key} ${response.status} ${Date.now() - started} ms ${request.path.slice(0, 80)} ${request.body?.length ?? 0} bytes\n`);
  const errors = loggedErrors.filter((entry) => entry.tag === tag).map((entry) => entry.text);
  const context = () =>
    [
      `${route.key} answered ${response.status}`,
      `request:\n  ${describeRequest(request)}`,
      `response: ${response.body.subarray(0, 600).toString('utf8')}`,
      ...(errors.length ? [`logged errors:\n${errors.join('\n')}`] : []),
    ].join('\n');

  expect(response.status, context()).toBeGreaterThanOrEqual(100);
  expect(response.status, context()).toBeLessThan(500);

  if (response.status >= 400) {
    const writes = commands.filter((command) => command.tag === tag && WRITE_COMMANDS.has(command.name));
    const stored = writes.filter((command) => {
      const allowed = ALLOWED_WRITES_ON_4XX.find((rule) => rule.allows(command, route, response.status));
      if (allowed) allowedSeen.set(allowed.reason, (allowedSeen.get(allowed.reason) ?? new Set()).add(`${route.key} (${response.status})`));
      return !allowed;
    });
    expect(stored, `a ${response.status} stored something:\n${context()}`).toEqual([]);
    expect(platform.outbox.list().length, `a ${response.status} sent an SMS:\n${context()}`).toBe(outboxBefore);
    expect(clockMoved, `a ${response.status} moved the clock:\n${context()}`).toBe(false);
  }

  const health = await sendOrExplain({ method: 'GET', path: '/health', headers: { host: host() } });
  expect(health.status, `GET /health after the request answered ${health.status}:\n${context()}`).toBe(200);
  expect(JSON.parse(health.body.toString('utf8'))).toEqual({ ok: true });
  return response;
}

// ---- the suite -----------------------------------------------------------------------------------

describe('the routes fuzzed', () => {
  it('covers every route of the table and the local routes, each of which exists', async () => {
    expect(TABLE_ROUTES.length).toBeGreaterThanOrEqual(21);
    const untemplated = ROUTES.filter((route) => !(route.key in templates())).map((route) => route.key);
    if (untemplated.length > 0) console.warn(`fuzz: no valid request in templates() for ${untemplated.join(', ')}: fuzzed from the generic template only`);
    for (const route of ROUTES) {
      // The valid request reaches the route: not the adapter's "Not Found" for an unknown path.
      const valid: RequestSpec = { params: {}, query: { kind: 'template' }, body: { kind: 'template' }, headers: { auth: 'admin', contentType: undefined, accept: undefined, acceptLanguage: undefined, acceptEncoding: undefined, origin: undefined } };
      const response = await fuzzOnce(route, valid);
      const body = response.body.toString('utf8');
      expect(response.status === 404 && body === '{"message":"Not Found"}', `${route.key}: ${response.status} ${body}`).toBe(false);
    }
  });

  for (const route of ROUTES) {
    it(`${route.key} (${route.source}): no 5xx, /health answers, nothing stored on a 4xx`, async () => {
      let completed = false;
      try {
        await fc.assert(
          fc.asyncProperty(requestSpec({ path: route.path, admin: route.admin, template: templateOf(route.key) }), async (spec) => {
            inFlight = fuzzOnce(route, spec);
            await inFlight;
          }),
          // Shrinking a failure sends requests too: it stops after the budget with the smallest counterexample so far.
          { seed: seedOf(route.key), numRuns: runsOf(route.key), plugins: [fc.interruptAfterTimeLimit(ROUTE_BUDGET_MS)] },
        );
        completed = true;
      } finally {
        // The budget interrupts fast-check, not a request that is out: wait for it (the next route must
        // not see its commands), and a failure of it (a hang ending in "no answer") still fails the route.
        const late = await inFlight?.then(() => undefined, (error: unknown) => error);
        inFlight = undefined;
        if (completed && late) throw late;
      }
    }, ROUTE_BUDGET_MS + REQUEST_TIMEOUT_MS + 10_000);
  }
});

// ---- what the fuzzer found ------------------------------------------------------------------------

interface Finding {
  /** What goes wrong, and where it likely comes from. */
  finding: string;
  route: string;
  method: string;
  path: string;
  body?: unknown;
  contentType?: string;
  /** Requests that make the state the finding needs (sent with the admin token, expected below 300). */
  before?: { method: string; path: string; body: unknown }[];
}

const long = (length: number) => 'a'.repeat(length);
const findingEvent = (eventId: string, phone: string, extra: Record<string, unknown> = {}) => ({
  eventId,
  type: 'repair',
  orgUnitId: 'n1',
  contact: { name: '甲', phone },
  occurredAt: '2026-11-09T10:00:00+08:00',
  ...extra,
});

/**
 * The fuzzer's counterexamples, shrunk by hand to one request each, kept as regressions: each
 * fails until its bug is fixed (they are checked exactly as a fuzzed request is).
 */
const FINDINGS: Finding[] = [
  {
    finding: 'a 409 after the contact was updated: recordServiceEvent (functions/app/events.ts) upserts the contact before putServiceEventIfAbsent finds the conflict',
    route: 'POST /admin/service-events',
    before: [{ method: 'POST', path: '/admin/service-events', body: findingEvent('finding-ev-1', '13800000201') }],
    method: 'POST',
    path: '/admin/service-events',
    body: { ...findingEvent('finding-ev-1', '13800000201'), contact: { name: '乙', phone: '13800000201' }, occurredAt: '2026-11-08T10:00:00+08:00' },
  },
  {
    finding: 'a 500: an extra numeric field beyond Number.MAX_SAFE_INTEGER (finite, so the event schema takes it: functions/app/events.ts) reaches the marshaller, which refuses it',
    route: 'POST /admin/service-events',
    method: 'POST',
    path: '/admin/service-events',
    body: '{"eventId":"finding-ev-2","type":"repair","orgUnitId":"n1","contact":{"phone":"13800000202"},"occurredAt":"2026-11-09T10:00:00+08:00","big":9007199254740992}',
  },
  {
    finding: 'a 500: an extra field holding an object with a "constructor" key is refused by the SDK marshaller (util-dynamodb reads value.constructor to tell a map from a class instance)',
    route: 'POST /admin/service-events',
    method: 'POST',
    path: '/admin/service-events',
    body: findingEvent('finding-ev-3', '13800000203', { x: { constructor: 1 } }),
  },
  {
    finding: 'a 500: an extra scalar field named "constructor" (a valid field name) makes the stored fields object one the SDK marshaller refuses',
    route: 'POST /admin/service-events',
    method: 'POST',
    path: '/admin/service-events',
    body: findingEvent('finding-ev-6', '13800000206', { constructor: 1 }),
  },
  {
    finding: 'a 500: an extra field nested 10,000 levels overflows the stack in canonicalJson (functions/domain/canonical-json.ts, called by recordServiceEvent)',
    route: 'POST /admin/service-events',
    method: 'POST',
    path: '/admin/service-events',
    body: `{"eventId":"finding-ev-4","type":"repair","orgUnitId":"n1","contact":{"phone":"13800000204"},"occurredAt":"2026-11-09T10:00:00+08:00","deep":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
  },
  {
    finding: 'a 500: a 3,000-character contactId has no length limit (serviceEventSchema) and reaches GetItem (partition key over 2,048 bytes)',
    route: 'POST /admin/service-events',
    method: 'POST',
    path: '/admin/service-events',
    body: { eventId: 'finding-ev-5', type: 'repair', orgUnitId: 'n1', contactId: long(3000), occurredAt: '2026-11-09T10:00:00+08:00' },
  },
  {
    finding: 'a 500 (after the identity claim and the person refs were written): a contact attribute named "constructor" (the SDK marshaller, as above)',
    route: 'POST /admin/contacts',
    method: 'POST',
    path: '/admin/contacts',
    body: { contacts: [{ orgUnitId: 'n1', phone: '13800138101', attributes: { constructor: 'x' } }] },
  },
  {
    finding: 'a 500: the same through CSV, a column named "constructor" becomes that attribute',
    route: 'POST /admin/contacts',
    method: 'POST',
    path: '/admin/contacts',
    body: 'name,phone,orgUnitId,constructor\n甲,13800138102,n1,x',
    contentType: 'text/csv',
  },
  {
    finding: 'a 500: a numeric contact attribute beyond Number.MAX_SAFE_INTEGER (z.number() in functions/domain/distribution/contacts.ts) reaches the marshaller',
    route: 'POST /admin/contacts',
    method: 'POST',
    path: '/admin/contacts',
    body: '{"contacts":[{"orgUnitId":"n1","phone":"13800138103","attributes":{"big":9007199254740992}}]}',
  },
  {
    finding: 'a 500: contactIds items have no length limit (functions/app/campaigns.ts) and reach GetItem (partition key over 2,048 bytes)',
    route: 'POST /admin/campaigns',
    method: 'POST',
    path: '/admin/campaigns',
    body: { surveyId: 'mini-csi', channel: 'sms', sms, contactIds: [long(3000)] },
  },
  {
    finding: 'a 500: the same for the preview',
    route: 'POST /admin/campaigns/preview',
    method: 'POST',
    path: '/admin/campaigns/preview',
    body: { surveyId: 'mini-csi', channel: 'sms', sms, contactIds: [long(3000)] },
  },
  {
    finding: 'a 500: a commitment id has no length limit (COMMITMENT_ID_PATTERN, functions/domain/commitments/schema.ts); over ~1,000 characters its sort key exceeds 1,024 bytes',
    route: 'POST /admin/commitments',
    method: 'POST',
    path: '/admin/commitments',
    body: { commitments: [{ id: `a.${long(1025)}`, eventType: 'repair', from: 'reportedAt', to: 'handledAt', target: 'PT6H' }] },
  },
  {
    finding: 'a 500: ?orgUnit= has no length limit (reportQuerySchema, functions/http/admin-reports.ts); over 1,024 bytes the report read\'s sort key is refused',
    route: 'GET /admin/reports/{surveyId}',
    method: 'GET',
    path: `/admin/reports/mini-csi?period=2026-11&orgUnit=${long(1025)}`,
  },
];

describe('what the fuzzer found (one request each; failing until fixed)', () => {
  for (const finding of FINDINGS) {
    it(`${finding.route}: ${finding.finding}`, async () => {
      for (const step of finding.before ?? []) {
        const res = await api(step.method, step.path, step.body);
        expect(res.status, res.text).toBeLessThan(300);
      }
      const route = ROUTES.find((candidate) => candidate.key === finding.route);
      expect(route, finding.route).toBeDefined();
      const body = finding.body === undefined ? undefined : Buffer.from(typeof finding.body === 'string' ? finding.body : JSON.stringify(finding.body), 'utf8');
      await checkRequest(route as FuzzRoute, {
        method: finding.method,
        path: finding.path,
        headers: { host: host(), [FUZZ_HEADER]: String(++counter), authorization: `Bearer ${ADMIN_TOKEN}`, ...(body ? { 'content-type': finding.contentType ?? 'application/json' } : {}) },
        ...(body ? { body } : {}),
      });
    });
  }
});

function printSummary(): void {
  const byRoute = new Map<string, Map<number, number>>();
  for (const { route, status } of outcomes) {
    const statuses = byRoute.get(route) ?? new Map<number, number>();
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    byRoute.set(route, statuses);
  }
  const lines = [...byRoute].map(([route, statuses]) => `  ${route}: ${[...statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}x${n}`).join(' ')}`);
  const allowed = [...allowedSeen].map(([reason, routes]) => `  ${reason.slice(0, 60)}…: ${[...routes].join(', ')}`);
  console.info(`fuzz: ${outcomes.length} requests to ${byRoute.size} routes (seed ${SEED})\n${lines.join('\n')}\nallowed writes on a 4xx seen:\n${allowed.join('\n')}`);
}
