/**
 * Role x route x in/out of scope -> status, through HTTP against dynalite: every admin route of
 * functions/http/routes.ts must have its row here (the first test fails for a route without one,
 * so a new route joins the table or the suite goes red).
 *
 * The tree: hq > north > n1, hq > south > s1. The callers: admins and analysts at hq and at north,
 * an executive, a manager and an agent at north. "In" targets north's subtree, "out" targets south's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../functions/domain/access/roles';
import { httpRoutes } from '../../functions/http/routes';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform';
import { BRANCH_TREE, createTestUser, type TestUser } from '../helpers/users';

process.env.MANYI_MINIMUM_N = '1';

let platform: TestPlatform;

type CallerName = 'admin@hq' | 'admin@north' | 'analyst@hq' | 'analyst@north' | 'executive@north' | 'manager@north' | 'agent@north';
const CALLERS: readonly CallerName[] = ['admin@hq', 'admin@north', 'analyst@hq', 'analyst@north', 'executive@north', 'manager@north', 'agent@north'];
const callers = {} as Record<CallerName, TestUser>;

type Target = 'in' | 'out';
interface Request {
  method: string;
  path: string;
  body?: unknown;
}
interface RouteCase {
  /** The request for a caller and a target (fresh ids each call: the table runs every cell). */
  request: (caller: CallerName, target: Target, cell: number) => Request | Promise<Request>;
  /** Expected status per caller, for "in" and, where the route has a unit, "out". */
  expect: Record<Target, Partial<Record<CallerName, number>>> | { org: Partial<Record<CallerName, number>> };
  /** A further check of an allowed answer (e.g. the rejected row of an import). */
  check?: (caller: CallerName, target: Target, body: any) => void;
}

const ok = (status: number, who: CallerName[]): Partial<Record<CallerName, number>> =>
  Object.fromEntries(CALLERS.map((caller) => [caller, who.includes(caller) ? status : 403]));
const ALL = [...CALLERS];
const ADMINS: CallerName[] = ['admin@hq', 'admin@north'];
const WRITERS: CallerName[] = ['admin@hq', 'admin@north', 'analyst@hq', 'analyst@north'];
const HQ_WRITERS: CallerName[] = ['admin@hq', 'analyst@hq'];
const READERS: CallerName[] = ['admin@hq', 'admin@north', 'analyst@hq', 'analyst@north', 'executive@north', 'manager@north'];
const HQ_ONLY = (who: CallerName[]) => who.filter((caller) => caller.endsWith('@hq'));

const unitOf = (target: Target) => (target === 'in' ? 'n1' : 's1');
const branchOf = (target: Target) => (target === 'in' ? 'north' : 'south');
const sms = { signature: '【示例银行】', template: { 'zh-CN': '您好，请评价：{link}', en: 'Please rate: {link}' }, marketing: false };
let phoneCounter = 13900000000;
const nextPhone = () => String(++phoneCounter);
const campaignOf = {} as Record<Target, string>;
/** An open link invitation per target, re-issued by every cell of the re-issue row. */
const linkInvitationOf = {} as Record<Target, string>;
const spareUserOf = {} as Record<Target, string>;
/** A case per target, logged by hand by the break-glass admin. */
const caseOf = {} as Record<Target, string>;
const CASE_WORKERS: CallerName[] = ['admin@hq', 'admin@north', 'manager@north', 'agent@north'];

const table: Record<string, RouteCase> = {
  'POST /admin/surveys': {
    request: () => ({ method: 'POST', path: '/admin/surveys', body: fixture('mini-csi.yaml') }),
    // Questionnaires are the whole organisation's: publishing needs a scope holding the root.
    expect: { org: ok(200, HQ_WRITERS) },
  },
  'GET /admin/surveys': {
    request: () => ({ method: 'GET', path: '/admin/surveys' }),
    expect: { org: ok(200, READERS) },
    check: (caller, target, body) => expect(body.surveys.map((s: { surveyId: string }) => s.surveyId)).toContain('mini-csi'),
  },
  'GET /admin/surveys/{surveyId}/versions/{version}': {
    request: () => ({ method: 'GET', path: '/admin/surveys/mini-csi/versions/1' }),
    expect: { org: ok(200, READERS) },
  },
  'GET /admin/surveys/{surveyId}/draft': {
    request: () => ({ method: 'GET', path: '/admin/surveys/matrix-draft/draft' }),
    expect: { org: ok(200, READERS) },
  },
  'PUT /admin/surveys/{surveyId}/draft': {
    request: () => ({ method: 'PUT', path: '/admin/surveys/matrix-draft/draft', body: { definition: { ...fixture('mini-csi.yaml'), id: 'matrix-draft' } } }),
    // A draft is the organisation's questionnaire too: writing it needs a scope holding the root.
    expect: { org: ok(200, HQ_WRITERS) },
  },
  'POST /admin/surveys/{surveyId}/draft/publish': {
    request: async (caller, target, cell) => {
      const id = `matrix-publish-${cell}`;
      const saved = await platform.api('PUT', `/admin/surveys/${id}/draft`, { body: { definition: { ...fixture('mini-csi.yaml'), id } } });
      expect(saved.status, saved.text).toBe(200);
      return { method: 'POST', path: `/admin/surveys/${id}/draft/publish` };
    },
    expect: { org: ok(201, HQ_WRITERS) },
  },
  'POST /admin/surveys/{surveyId}/archive': {
    request: () => ({ method: 'POST', path: '/admin/surveys/matrix-draft/archive', body: { archived: false } }),
    expect: { org: ok(200, HQ_WRITERS) },
  },
  'GET /admin/org-units': {
    request: () => ({ method: 'GET', path: '/admin/org-units' }),
    expect: { org: ok(200, ALL) },
    // Each caller sees its own subtree: the callers at north never see south.
    check: (caller, target, body) => {
      const ids = body.units.map((unit: { id: string }) => unit.id);
      expect(ids).toContain('n1');
      if (caller.endsWith('@north')) expect(ids).not.toContain('s1');
      else expect(ids).toContain('s1');
    },
  },
  'POST /admin/org-units': {
    request: (caller, target, cell) => ({ method: 'POST', path: '/admin/org-units', body: { units: [{ id: `new-${cell}`, name: `New ${cell}`, parentId: branchOf(target) }] } }),
    expect: { in: ok(200, ADMINS), out: ok(200, HQ_ONLY(ADMINS)) },
  },
  'POST /admin/campaigns': {
    request: (caller, target) => ({ method: 'POST', path: '/admin/campaigns', body: { surveyId: 'mini-csi', channel: 'link', contacts: [{ orgUnitId: unitOf(target) }] } }),
    expect: { in: ok(201, WRITERS), out: ok(201, HQ_ONLY(WRITERS)) },
  },
  'POST /admin/campaigns/preview': {
    request: (caller, target) => ({
      method: 'POST',
      path: '/admin/campaigns/preview',
      body: { surveyId: 'mini-csi', channel: 'sms', sms, contacts: [{ orgUnitId: unitOf(target), phone: nextPhone() }] },
    }),
    expect: { in: ok(200, WRITERS), out: ok(200, HQ_ONLY(WRITERS)) },
    check: (caller, target, body) => expect(body.messages[0].to).toMatch(/\*{4}/),
  },
  'GET /admin/campaigns/{campaignId}': {
    request: (caller, target) => ({ method: 'GET', path: `/admin/campaigns/${campaignOf[target]}` }),
    expect: { in: ok(200, [...WRITERS, 'manager@north']), out: ok(200, HQ_ONLY(WRITERS)) },
  },
  'GET /admin/campaigns/{campaignId}/invitations': {
    request: (caller, target) => ({ method: 'GET', path: `/admin/campaigns/${campaignOf[target]}/invitations` }),
    expect: { in: ok(200, [...WRITERS, 'manager@north']), out: ok(200, HQ_ONLY(WRITERS)) },
  },
  'POST /admin/invitations/{invitationId}/reissue': {
    request: (caller, target) => ({ method: 'POST', path: `/admin/invitations/${linkInvitationOf[target]}/reissue` }),
    expect: { in: ok(200, WRITERS), out: ok(200, HQ_ONLY(WRITERS)) },
  },
  'GET /admin/contacts': {
    request: () => ({ method: 'GET', path: '/admin/contacts?limit=100' }),
    expect: { org: ok(200, [...WRITERS, 'manager@north']) },
    // A reader at north sees north's contacts only; none without pii sees a number.
    check: (caller, target, body) => {
      const units = new Set(body.contacts.map((contact: { orgUnitId: string }) => contact.orgUnitId));
      if (caller.endsWith('@north')) expect([...units].every((unit) => unit === 'north' || unit === 'n1')).toBe(true);
      for (const contact of body.contacts) if (contact.phone) expect(contact.phone).toContain('*');
    },
  },
  'GET /admin/campaigns': {
    request: () => ({ method: 'GET', path: '/admin/campaigns?limit=100' }),
    expect: { org: ok(200, [...WRITERS, 'manager@north']) },
    // A reader at north sees north's campaign and not south's.
    check: (caller, target, body) => {
      const ids = body.campaigns.map((campaign: { campaignId: string }) => campaign.campaignId);
      expect(ids).toContain(campaignOf.in);
      if (caller.endsWith('@north')) expect(ids).not.toContain(campaignOf.out);
      else expect(ids).toContain(campaignOf.out);
    },
  },
  'POST /admin/jobs/compute-indices': {
    request: () => ({ method: 'POST', path: '/admin/jobs/compute-indices', body: { period: '2026-11' } }),
    expect: { org: ok(200, HQ_WRITERS) },
  },
  'POST /admin/jobs/dispatch': {
    request: () => ({ method: 'POST', path: '/admin/jobs/dispatch' }),
    expect: { org: ok(200, HQ_WRITERS) },
  },
  'POST /admin/contacts': {
    request: (caller, target) => ({ method: 'POST', path: '/admin/contacts', body: { contacts: [{ name: '张三', phone: nextPhone(), orgUnitId: unitOf(target) }] } }),
    // An import is never refused whole: a row for a unit outside the scope is rejected, the others kept.
    expect: { in: ok(200, WRITERS), out: ok(200, WRITERS) },
    check: (caller, target, body) =>
      expect(body.rows[0].status).toBe(target === 'out' && !caller.endsWith('@hq') ? 'rejected' : 'created'),
  },
  'POST /admin/commitments': {
    request: (caller, target, cell) => ({
      method: 'POST',
      path: '/admin/commitments',
      body: { commitments: [{ id: `repair.handle.${cell}`, eventType: 'repair', from: 'reportedAt', to: 'handledAt', target: 'PT6H' }] },
    }),
    expect: { org: ok(200, HQ_WRITERS) },
  },
  'GET /admin/commitments': {
    request: () => ({ method: 'GET', path: '/admin/commitments' }),
    expect: { org: ok(200, READERS) },
  },
  'POST /admin/metrics': {
    request: (caller, target, cell) => ({ method: 'POST', path: '/admin/metrics', body: { metrics: [{ orgUnitId: unitOf(target), period: '2026-11', customers: 1000 + cell, complaints: 3 }] } }),
    expect: { in: ok(200, WRITERS), out: ok(200, HQ_ONLY(WRITERS)) },
  },
  'GET /admin/metrics': {
    request: () => ({ method: 'GET', path: '/admin/metrics?period=2026-11' }),
    expect: { org: ok(200, READERS) },
    // North's callers never see the south's figures.
    check: (caller, target, body) => {
      const units = body.metrics.map((m: { orgUnitId: string }) => m.orgUnitId);
      if (caller.endsWith('@north')) expect(units).not.toContain('s1');
      if (caller.endsWith('@hq')) expect(units).toContain('s1');
    },
  },
  'POST /admin/service-events': {
    request: (caller, target, cell) => ({
      method: 'POST',
      path: '/admin/service-events',
      body: { eventId: `E-${cell}`, type: 'visit', orgUnitId: unitOf(target), contact: { name: '李四', phone: nextPhone() }, occurredAt: '2026-11-09T10:00:00+08:00' },
    }),
    expect: { in: ok(201, WRITERS), out: ok(201, HQ_ONLY(WRITERS)) },
  },
  'POST /admin/campaigns/test-send': {
    request: (caller, target) => ({ method: 'POST', path: '/admin/campaigns/test-send', body: { campaign: { surveyId: 'mini-csi', channel: 'sms', sms, segment: { orgUnitId: unitOf(target) } } } }),
    // The matrix's users have no phone of their own: an allowed caller gets as far as "no number" (409).
    expect: { in: ok(409, WRITERS), out: ok(409, HQ_ONLY(WRITERS)) },
  },
  'GET /admin/service-events': {
    request: (caller, target) => ({ method: 'GET', path: `/admin/service-events?period=2026-11&orgUnit=${branchOf(target)}` }),
    expect: { in: ok(200, ['admin@hq', 'admin@north', 'analyst@hq', 'analyst@north', 'manager@north']), out: ok(200, ['admin@hq', 'analyst@hq']) },
  },
  'GET /admin/commitments/compliance': {
    request: (caller, target) => ({ method: 'GET', path: `/admin/commitments/compliance?period=2026-11&orgUnit=${branchOf(target)}` }),
    expect: { in: ok(200, READERS), out: ok(200, HQ_ONLY(READERS)) },
  },
  'GET /admin/reports/{surveyId}': {
    request: (caller, target) => ({ method: 'GET', path: `/admin/reports/mini-csi?period=2026-11&orgUnit=${unitOf(target)}` }),
    expect: { in: ok(200, READERS), out: ok(200, HQ_ONLY(READERS)) },
  },
  'GET /admin/reports/{surveyId}/export': {
    request: (caller, target) => ({ method: 'GET', path: `/admin/reports/mini-csi/export?period=2026-11&orgUnit=${unitOf(target)}&format=csv` }),
    expect: { in: ok(200, ['admin@hq', 'admin@north', 'analyst@hq', 'analyst@north', 'executive@north']), out: ok(200, ['admin@hq', 'analyst@hq']) },
  },
  'POST /admin/users': {
    request: (caller, target, cell) => ({ method: 'POST', path: '/admin/users', body: { email: `new${cell}@example.com`, name: `New ${cell}`, role: 'executive', orgUnits: [unitOf(target)], password: 'a long enough password' } }),
    expect: { in: ok(201, ADMINS), out: ok(201, HQ_ONLY(ADMINS)) },
  },
  'GET /admin/users': {
    request: () => ({ method: 'GET', path: '/admin/users' }),
    expect: { org: ok(200, ADMINS) },
  },
  'PATCH /admin/users/{userId}': {
    request: (caller, target) => ({ method: 'PATCH', path: `/admin/users/${spareUserOf[target]}`, body: { language: 'en' } }),
    expect: { in: ok(200, ADMINS), out: ok(200, HQ_ONLY(ADMINS)) },
  },
  'GET /admin/me': {
    request: () => ({ method: 'GET', path: '/admin/me' }),
    expect: { org: ok(200, ALL) },
  },
  'GET /admin/audit': {
    request: (caller, target) => ({ method: 'GET', path: `/admin/audit?from=2026-11-01&to=2026-11-30&orgUnit=${branchOf(target)}` }),
    expect: { in: ok(200, [...ADMINS, 'manager@north']), out: ok(200, ['admin@hq']) },
  },
  'POST /admin/cases': {
    request: (caller, target) => ({ method: 'POST', path: '/admin/cases', body: { orgUnitId: unitOf(target), note: '客户来电投诉' } }),
    expect: { in: ok(201, CASE_WORKERS), out: ok(201, ['admin@hq']) },
  },
  'GET /admin/cases': {
    request: () => ({ method: 'GET', path: '/admin/cases?limit=100' }),
    expect: { org: ok(200, CASE_WORKERS) },
    // North's callers never see south's cases; an agent sees only those assigned to it.
    check: (caller, target, body) => {
      const ids = body.cases.map((c: { caseId: string }) => c.caseId);
      if (caller.endsWith('@north')) expect(ids).not.toContain(caseOf.out);
      if (caller === 'admin@hq') expect(ids).toEqual(expect.arrayContaining([caseOf.in, caseOf.out]));
      if (caller === 'agent@north') expect(body.cases.every((c: { assignee?: string }) => c.assignee === callers['agent@north'].userId)).toBe(true);
    },
  },
  'GET /admin/cases/{caseId}': {
    request: (caller, target) => ({ method: 'GET', path: `/admin/cases/${caseOf[target]}` }),
    // An agent works the cases assigned to it only: the break-glass admin's are not.
    expect: { in: ok(200, ['admin@hq', 'admin@north', 'manager@north']), out: ok(200, ['admin@hq']) },
  },
  'POST /admin/cases/{caseId}/events': {
    request: (caller, target) => ({ method: 'POST', path: `/admin/cases/${caseOf[target]}/events`, body: { type: 'comment', note: '已致电' } }),
    expect: { in: ok(200, ['admin@hq', 'admin@north', 'manager@north']), out: ok(200, ['admin@hq']) },
  },
  'POST /admin/alert-rules': {
    request: (caller, target, cell) => ({ method: 'POST', path: '/admin/alert-rules', body: { surveyId: 'mini-csi', rule: { id: `matrix-${cell}`, when: { question: 'q4', atMost: 1 } } } }),
    // Rules belong to the questionnaires, which are the whole organisation's.
    expect: { org: ok(201, HQ_WRITERS) },
  },
  'GET /admin/alert-rules': {
    request: () => ({ method: 'GET', path: '/admin/alert-rules' }),
    expect: { org: ok(200, READERS) },
    // A rule of the south's subtree is listed to callers whose scope holds it only.
    check: (caller, target, body) => {
      const ids = body.rules.map((r: { ruleId: string }) => r.ruleId);
      expect(ids).toContain('scoped-in');
      if (caller.endsWith('@north')) expect(ids).not.toContain('scoped-out');
      if (caller.endsWith('@hq')) expect(ids).toContain('scoped-out');
    },
  },
  'GET /admin/case-settings': {
    request: () => ({ method: 'GET', path: '/admin/case-settings' }),
    expect: { org: ok(200, CASE_WORKERS) },
    check: (caller, target, body) => expect(body.rootCauses.length).toBeGreaterThan(0),
  },
  'PUT /admin/case-settings': {
    request: () => ({ method: 'PUT', path: '/admin/case-settings', body: { rootCauses: [{ id: 'staff-attitude', label: { 'zh-CN': '服务态度', en: 'Staff attitude' } }] } }),
    // The organisation's settings: an admin whose scope holds the root.
    expect: { org: ok(200, ['admin@hq']) },
  },
  'POST /admin/jobs/case-timers': {
    request: () => ({ method: 'POST', path: '/admin/jobs/case-timers' }),
    expect: { org: ok(200, HQ_WRITERS) },
  },
  // A person's export and erasure: admins, and users with pii (none of the callers here has it), in scope.
  'GET /admin/privacy/export': {
    request: async (caller, target) => ({ method: 'GET', path: `/admin/privacy/export?phone=${await contactIn(target)}` }),
    expect: { in: ok(200, ADMINS), out: ok(200, ['admin@hq']) },
    check: (caller, target, body) => expect(body.contacts).toHaveLength(1),
  },
  'POST /admin/privacy/erase': {
    request: async (caller, target) => ({ method: 'POST', path: '/admin/privacy/erase', body: { phone: await contactIn(target) } }),
    expect: { in: ok(200, ADMINS), out: ok(200, ['admin@hq']) },
    check: (caller, target, body) => expect(body.erased.contacts).toBe(1),
  },
};

/** A new contact in the target's unit (imported by the break-glass admin); its phone number. */
async function contactIn(target: Target): Promise<string> {
  const phone = nextPhone();
  const res = await platform.api('POST', '/admin/contacts', { body: { contacts: [{ name: '张三', phone, orgUnitId: unitOf(target) }] } });
  if (res.status !== 200) throw new Error(`contact: ${res.status} ${res.text}`);
  return phone;
}

const adminRouteKeys = Object.values(httpRoutes).flatMap((fn) => (fn.access === 'admin' ? fn.routes : []));

beforeAll(async () => {
  platform = await startTestPlatform();
  const setup = async (method: string, path: string, body?: unknown) => {
    const res = await platform.api(method, path, { ...(body !== undefined ? { body } : {}) });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
    return res.body;
  };
  await setup('POST', '/admin/surveys', fixture('mini-csi.yaml'));
  await setup('PUT', '/admin/surveys/matrix-draft/draft', { definition: { ...fixture('mini-csi.yaml'), id: 'matrix-draft' } });
  await setup('POST', '/admin/org-units', {
    units: BRANCH_TREE,
  });
  for (const target of ['in', 'out'] as const) {
    const campaign = await setup('POST', '/admin/campaigns', { surveyId: 'mini-csi', channel: 'link', contacts: [{ orgUnitId: unitOf(target) }] });
    campaignOf[target] = campaign.campaignId;
    const token = campaign.invitations[0].token as string;
    const answered = await platform.api('POST', `/s/${token}`, { token: null, body: { answers: { q1: 4, q2: 4, q3: 5, q4: 4, q5: 3 } } });
    if (answered.status >= 300) throw new Error(`answer: ${answered.status} ${answered.text}`);
    spareUserOf[target] = (await createTestUser(platform, { role: 'agent', orgUnits: [unitOf(target)] })).userId;
    const open = await setup('POST', '/admin/campaigns', { surveyId: 'mini-csi', channel: 'link', contacts: [{ orgUnitId: unitOf(target) }] });
    linkInvitationOf[target] = open.invitations[0].invitationId;
    caseOf[target] = (await setup('POST', '/admin/cases', { orgUnitId: unitOf(target), note: '客户来电投诉' })).caseId;
    await setup('POST', '/admin/metrics', { metrics: [{ orgUnitId: unitOf(target), period: '2026-11', customers: 500 }] });
    await setup('POST', '/admin/alert-rules', { surveyId: 'mini-csi', orgUnitId: branchOf(target), rule: { id: `scoped-${target}`, when: { question: 'q4', atMost: 1 } } });
  }
  await setup('POST', '/admin/jobs/compute-indices', { period: '2026-11' });
  for (const name of CALLERS) {
    const [role, unit] = name.split('@') as [Role, string];
    callers[name] = await createTestUser(platform, { role, orgUnits: [unit] });
  }
}, 60_000);
afterAll(async () => platform?.stop());

describe('the access matrix', () => {
  it('has a row for every admin route of functions/http/routes.ts, and none for a route that does not exist', () => {
    expect(new Set(Object.keys(table))).toEqual(new Set(adminRouteKeys));
  });

  it('covers every role', () => {
    expect(new Set(CALLERS.map((caller) => caller.split('@')[0]))).toEqual(new Set(ROLES));
  });

  const cells = Object.entries(table).flatMap(([routeKey, routeCase]) => {
    const expectations = 'org' in routeCase.expect ? { in: routeCase.expect.org } : routeCase.expect;
    return Object.entries(expectations).flatMap(([target, byCaller]) =>
      CALLERS.map((caller) => ({ routeKey, target: target as Target, caller, status: (byCaller as Partial<Record<CallerName, number>>)[caller] ?? 403 })),
    );
  });

  let cellNumber = 0;
  it.each(cells)('$routeKey, $target of scope, as $caller -> $status', async ({ routeKey, target, caller, status }) => {
    const routeCase = table[routeKey]!;
    const request = await routeCase.request(caller, target, ++cellNumber);
    const res = await platform.api(request.method, request.path, { token: callers[caller].token, ...(request.body !== undefined ? { body: request.body } : {}) });
    // Publishing the same questionnaire again answers 200 (unchanged) where the first time was 201.
    const expected = routeKey === 'POST /admin/surveys' && status === 200 ? [200, 201] : [status];
    expect(expected, `${res.status} ${res.text.slice(0, 300)}`).toContain(res.status);
    if (res.status === 403) {
      expect(res.body.message).toMatch(/scope|role|organisation/);
      return;
    }
    routeCase.check?.(caller, target, res.body);
  });

  it('answers 401 without a token on every admin route, and never with data', async () => {
    for (const routeKey of adminRouteKeys) {
      const request = await table[routeKey]!.request('admin@hq', 'in', ++cellNumber);
      const res = await platform.api(request.method, request.path, { token: null, ...(request.body !== undefined ? { body: request.body } : {}) });
      expect(res.status, routeKey).toBe(401);
      expect(Object.keys(res.body)).toEqual(['message']);
    }
  });
});

describe('what a scoped user sees', () => {
  it('starts a manager at its own unit, shows no unit above it, and refuses the parent', async () => {
    const token = callers['manager@north'].token;
    const own = await platform.api('GET', '/admin/reports/mini-csi?period=2026-11', { token });
    expect(own.status, own.text).toBe(200);
    expect(own.body.orgUnit).toBe('north');
    expect(own.body.path).toEqual(['north']);
    const children = own.body.children.map((child: { orgUnit: string }) => child.orgUnit);
    expect(children).toContain('n1');
    expect(children).not.toContain('s1');
    const outlet = await platform.api('GET', '/admin/reports/mini-csi?period=2026-11&orgUnit=n1', { token });
    expect(outlet.body.path).toEqual(['north', 'n1']);
    const parent = await platform.api('GET', '/admin/reports/mini-csi?period=2026-11&orgUnit=hq', { token });
    expect(parent.status).toBe(403);
    expect(parent.body).toEqual({ message: expect.stringContaining('"hq"') });
  });

  it('compares a unit with the rest of its parent only when the parent is in scope', async () => {
    const asHq = await platform.api('GET', '/admin/reports/mini-csi?period=2026-11&orgUnit=north', { token: callers['admin@hq'].token });
    const asNorth = await platform.api('GET', '/admin/reports/mini-csi?period=2026-11&orgUnit=north', { token: callers['manager@north'].token });
    // North (1 response) against the rest of HQ (south's response): HQ may compare them, north's manager may not.
    expect(asHq.body.significance.parent).toEqual({ orgUnit: 'hq', rest: 1 });
    expect(asNorth.body.significance.parent).toBeNull();
    expect(asNorth.body.path).toEqual(['north']);
    expect(asHq.body.path).toEqual(['hq', 'north']);
  });

  it('refuses a campaign whose audience reaches outside the scope, creating nothing', async () => {
    const before = await platform.deps.store.listContactsOfUnit('s1');
    const res = await platform.api('POST', '/admin/campaigns', {
      token: callers['analyst@north'].token,
      body: { surveyId: 'mini-csi', channel: 'sms', sms, contacts: [{ orgUnitId: 'n1', phone: nextPhone() }, { orgUnitId: 's1', phone: nextPhone() }] },
    });
    expect(res.status).toBe(403);
    expect(res.body.message).toContain('"s1"');
    expect(await platform.deps.store.listContactsOfUnit('s1')).toEqual(before);
    const segment = await platform.api('POST', '/admin/campaigns', { token: callers['analyst@north'].token, body: { surveyId: 'mini-csi', channel: 'sms', sms, segment: {} } });
    expect(segment.status).toBe(403);
  });

  it('refuses to move a contact of another unit into the caller\'s by its phone', async () => {
    const phone = nextPhone();
    const southern = await platform.api('POST', '/admin/contacts', { body: { contacts: [{ name: '王五', phone, orgUnitId: 's1' }] } });
    expect(southern.body.rows[0].status).toBe('created');
    const moved = await platform.api('POST', '/admin/contacts', { token: callers['analyst@north'].token, body: { contacts: [{ name: '王五', phone, orgUnitId: 'n1' }] } });
    expect(moved.body.rows[0]).toMatchObject({ status: 'rejected', reason: expect.stringContaining('outside your scope') });
    expect((await platform.deps.store.getContact(southern.body.rows[0].contactId))?.orgUnitId).toBe('s1');
  });
});
