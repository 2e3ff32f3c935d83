/**
 * Authorisation, pure: the scope over a deep org tree, the policy's decision for every role (the
 * matrix of docs/access.md written out here by hand, independently of POLICY), the access check the
 * use cases get (functions/app/access.ts, over an in-memory tree), and the users' and audit trail's
 * boundary schemas. No I/O.
 */
import { userRecord } from '../helpers/users';
import { describe, expect, it } from 'vitest';
import { createAccess, deniedMessage, organisationAccess } from '../../functions/app/access';
import { listAudit } from '../../functions/app/audit';
import type { Deps } from '../../functions/app/deps';
import { auditQuerySchema, MAX_AUDIT_QUERY_DAYS, withoutPersonalData, type AuditRecord } from '../../functions/domain/access/audit';
import { can, decide, isOrganisationWide, roleMay, type Actor } from '../../functions/domain/access/policy';
import { ACTIONS, ORGANISATION_WIDE, POLICY, ROLES, type Action, type Role } from '../../functions/domain/access/roles';
import { Scope } from '../../functions/domain/access/scope';
import {
  createUserSchema,
  MIN_PASSWORD_LENGTH,
  normaliseEmail,
  passwordSchema,
  patchUserSchema,
  userView,
  type UserRecord,
} from '../../functions/domain/access/users';
import { DomainError } from '../../functions/domain/errors';
import { OrgTree, type OrgUnit } from '../../functions/domain/org';

// ---- the tree ------------------------------------------------------------------------------------

/**
 *   prov
 *   ├── cityA
 *   │   ├── countyA1
 *   │   │   └── townA1
 *   │   │       └── villageA1
 *   │   └── countyA2
 *   └── cityB                (the sibling branch)
 *       └── countyB1
 *           └── townB1
 *               └── villageB1
 */
const UNITS: OrgUnit[] = [
  { id: 'prov', name: 'Province' },
  { id: 'cityA', name: 'City A', parentId: 'prov' },
  { id: 'countyA1', name: 'County A1', parentId: 'cityA' },
  { id: 'townA1', name: 'Township A1', parentId: 'countyA1' },
  { id: 'villageA1', name: 'Village A1', parentId: 'townA1' },
  { id: 'countyA2', name: 'County A2', parentId: 'cityA' },
  { id: 'cityB', name: 'City B', parentId: 'prov' },
  { id: 'countyB1', name: 'County B1', parentId: 'cityB' },
  { id: 'townB1', name: 'Township B1', parentId: 'countyB1' },
  { id: 'villageB1', name: 'Village B1', parentId: 'townB1' },
];
const tree = new OrgTree(UNITS);
const BRANCH_A = ['cityA', 'countyA1', 'townA1', 'villageA1', 'countyA2'];
const BRANCH_B = ['cityB', 'countyB1', 'townB1', 'villageB1'];

describe('the org tree the scope walks', () => {
  it('has one root and the path from it down to a village', () => {
    expect(tree.roots).toEqual(['prov']);
    expect(tree.path('villageA1')).toEqual(['prov', 'cityA', 'countyA1', 'townA1', 'villageA1']);
    expect(tree.path('prov')).toEqual(['prov']);
  });

  it('lists its units in any order: a child given before its parent still hangs below it', () => {
    const shuffled = new OrgTree([...UNITS].reverse());
    expect(shuffled.roots).toEqual(['prov']);
    expect(shuffled.path('villageB1')).toEqual(['prov', 'cityB', 'countyB1', 'townB1', 'villageB1']);
  });
});

// ---- scope ---------------------------------------------------------------------------------------

describe('Scope', () => {
  it('anchored at a city covers the city and every county, township and village below it', () => {
    const scope = new Scope(tree, ['cityA']);
    for (const id of BRANCH_A) expect(scope.covers(id), id).toBe(true);
    expect(scope.coversAll(BRANCH_A)).toBe(true);
  });

  it('anchored at a city does not cover the sibling city, its subtree, nor the province above', () => {
    const scope = new Scope(tree, ['cityA']);
    for (const id of [...BRANCH_B, 'prov']) expect(scope.covers(id), id).toBe(false);
    expect(scope.coversAll(['villageA1', 'villageB1'])).toBe(false);
  });

  it('anchored deep (a township) covers only its own subtree, not its county nor the county beside it', () => {
    const scope = new Scope(tree, ['townA1']);
    expect(scope.covers('townA1')).toBe(true);
    expect(scope.covers('villageA1')).toBe(true);
    for (const id of ['countyA1', 'countyA2', 'cityA', 'prov', ...BRANCH_B]) expect(scope.covers(id), id).toBe(false);
  });

  it('with several anchors covers the union of their subtrees and nothing between them', () => {
    const scope = new Scope(tree, ['countyA2', 'townB1']);
    expect(scope.coversAll(['countyA2', 'townB1', 'villageB1'])).toBe(true);
    for (const id of ['prov', 'cityA', 'cityB', 'countyA1', 'townA1', 'villageA1', 'countyB1']) expect(scope.covers(id), id).toBe(false);
    expect(scope.units).toEqual(['countyA2', 'townB1']);
  });

  it('anchored at the root covers every unit and acts for the whole organisation', () => {
    const scope = new Scope(tree, ['prov']);
    expect(scope.coversAll(UNITS.map((unit) => unit.id))).toBe(true);
    expect(scope.isOrganisationWide).toBe(true);
    expect(scope.unbounded).toBe(false);
  });

  it('is organisation-wide only when the root is granted: every city together is not', () => {
    expect(new Scope(tree, ['cityA']).isOrganisationWide).toBe(false);
    expect(new Scope(tree, ['cityA', 'cityB']).isOrganisationWide).toBe(false);
    // Covering every existing unit below the root is still not holding the root (a future city would be outside).
    expect(new Scope(tree, ['cityA', 'cityB']).coversAll(UNITS.filter((unit) => unit.parentId).map((unit) => unit.id))).toBe(true);
    expect(new Scope(tree, ['cityA', 'prov']).isOrganisationWide).toBe(true);
  });

  it('in a forest is organisation-wide only when it holds every root', () => {
    const forest = new OrgTree([...UNITS, { id: 'prov2', name: 'Province 2' }, { id: 'city2', name: 'City 2', parentId: 'prov2' }]);
    expect(forest.roots).toEqual(['prov', 'prov2']);
    expect(new Scope(forest, ['prov']).isOrganisationWide).toBe(false);
    expect(new Scope(forest, ['prov', 'prov2']).isOrganisationWide).toBe(true);
    expect(new Scope(forest, ['prov']).covers('city2')).toBe(false);
  });

  it('over an empty tree is never organisation-wide (unless unbounded)', () => {
    const empty = new OrgTree([]);
    expect(new Scope(empty, []).isOrganisationWide).toBe(false);
    expect(new Scope(empty, ['ghost']).isOrganisationWide).toBe(false);
    expect(Scope.everything(empty).isOrganisationWide).toBe(true);
  });

  it('treats an unknown unit as outside, even one whose id is granted (a unit deleted since)', () => {
    const scope = new Scope(tree, ['cityA', 'deleted-unit']);
    expect(scope.covers('nowhere')).toBe(false);
    expect(scope.covers('deleted-unit')).toBe(false);
    expect(scope.units).toEqual(['cityA', 'deleted-unit']); // kept as granted
    expect(new Scope(tree, ['prov']).covers('nowhere')).toBe(false); // the root does not cover a unit not in the tree
  });

  it('everything: covers every unit, present or future, and holds the roots', () => {
    const scope = Scope.everything(tree);
    expect(scope.unbounded).toBe(true);
    expect(scope.coversAll(UNITS.map((unit) => unit.id))).toBe(true);
    expect(scope.covers('created-tomorrow')).toBe(true);
    expect(scope.isOrganisationWide).toBe(true);
    expect(scope.units).toEqual(['prov']);
    expect(scope.outside(['villageB1', 'created-tomorrow'])).toEqual([]);
  });

  it('home: the root for an organisation-wide scope, else the first granted unit that exists', () => {
    expect(new Scope(tree, ['prov']).home).toBe('prov');
    expect(new Scope(tree, ['cityA', 'prov']).home).toBe('prov');
    expect(Scope.everything(tree).home).toBe('prov');
    expect(new Scope(tree, ['countyB1', 'cityA']).home).toBe('countyB1');
    expect(new Scope(tree, ['deleted-unit', 'townA1']).home).toBe('townA1');
    expect(new Scope(tree, ['deleted-unit']).home).toBeUndefined();
    expect(new Scope(tree, []).home).toBeUndefined();
  });

  it('outside: the given units it does not cover, each once, in the order given', () => {
    const scope = new Scope(tree, ['cityA']);
    expect(scope.outside(['villageA1', 'cityB', 'prov', 'cityB', 'nowhere', 'countyA2'])).toEqual(['cityB', 'prov', 'nowhere']);
    expect(scope.outside([])).toEqual([]);
    expect(scope.outside(new Set(['townA1']))).toEqual([]);
  });

  it('contains another scope only when every unit of it lies inside (one may grant only what one holds)', () => {
    const city = new Scope(tree, ['cityA']);
    expect(city.contains(['cityA'])).toBe(true);
    expect(city.contains(['countyA1', 'villageA1'])).toBe(true);
    expect(city.contains(['countyA1', 'cityB'])).toBe(false);
    expect(city.contains(['prov'])).toBe(false);
    expect(city.contains(['nowhere'])).toBe(false);
    expect(new Scope(tree, ['townA1']).contains(['cityA'])).toBe(false); // a narrower scope never contains a wider one
    expect(new Scope(tree, ['prov']).contains(['cityA', 'cityB', 'villageB1'])).toBe(true);
    expect(city.contains([])).toBe(true); // vacuous: no unit lies outside
  });

  it('terminates on a cyclic tree (mergeOrgUnits refuses one; the scope still never loops)', () => {
    const cyclic = new OrgTree([
      { id: 'a', name: 'A', parentId: 'b' },
      { id: 'b', name: 'B', parentId: 'a' },
    ]);
    const scope = new Scope(cyclic, ['a']);
    expect(scope.covers('b')).toBe(true); // b's path runs through a
    expect(scope.isOrganisationWide).toBe(false); // no roots at all
  });
});

// ---- the policy ----------------------------------------------------------------------------------

/** docs/access.md's matrix, written out by hand: `Y` where the role may take the action. */
const MATRIX: Record<Action, Record<Role, boolean>> = (() => {
  const rows: [Action, string][] = [
    //                        admin analyst executive manager agent
    ['self:read', '           Y     Y       Y         Y       Y'],
    ['users:manage', '        Y     -       -         -       -'],
    ['orgUnits:write', '      Y     -       -         -       -'],
    ['orgUnits:read', '       Y     Y       Y         Y       Y'],
    ['surveys:write', '       Y     Y       -         -       -'],
    ['surveys:read', '        Y     Y       Y         Y       -'],
    ['contacts:write', '      Y     Y       -         -       -'],
    ['contacts:read', '       Y     Y       -         Y       -'],
    ['campaigns:write', '     Y     Y       -         -       -'],
    ['campaigns:read', '      Y     Y       -         Y       -'],
    ['serviceEvents:write', ' Y     Y       -         -       -'],
    ['serviceEvents:read', '  Y     Y       -         Y       -'],
    ['commitments:write', '   Y     Y       -         -       -'],
    ['commitments:read', '    Y     Y       Y         Y       -'],
    ['metrics:write', '       Y     Y       -         -       -'],
    ['metrics:read', '        Y     Y       Y         Y       -'],
    ['reports:read', '        Y     Y       Y         Y       -'],
    ['jobs:run', '            Y     Y       -         -       -'],
    ['audit:read', '          Y     -       -         Y       -'],
    ['exports:read', '        Y     Y       Y         -       -'],
    ['responses:export', '    Y     Y       -         -       -'],
    ['subscriptions:manage', 'Y     -       Y         -       -'],
    ['cases:own', '           Y     -       -         Y       -'],
    ['cases:work', '          Y     -       -         Y       Y'],
    // An analyst also needs pii (functions/app/privacy.ts; test/integration/privacy.test.ts).
    ['privacy:manage', '      Y     Y       -         -       -'],
  ];
  const roles: Role[] = ['admin', 'analyst', 'executive', 'manager', 'agent'];
  return Object.fromEntries(
    rows.map(([action, cells]) => {
      const marks = cells.trim().split(/\s+/);
      return [action, Object.fromEntries(roles.map((role, i) => [role, marks[i] === 'Y']))];
    }),
  ) as Record<Action, Record<Role, boolean>>;
})();

const actor = (role: Role, units: string[] | 'everything' = ['prov']): Actor => ({
  userId: `usr_${role}`,
  role,
  pii: false,
  scope: units === 'everything' ? Scope.everything(tree) : new Scope(tree, units),
});

describe('roleMay over POLICY', () => {
  it('knows the five roles and every action the matrix names, and the three organisation-wide ones', () => {
    expect([...ROLES]).toEqual(['admin', 'analyst', 'executive', 'manager', 'agent']);
    expect([...ACTIONS].sort()).toEqual(Object.keys(MATRIX).sort());
    expect([...ORGANISATION_WIDE].sort()).toEqual(['commitments:write', 'jobs:run', 'surveys:write']);
    for (const action of ACTIONS) expect(isOrganisationWide(action), action).toBe(ORGANISATION_WIDE.has(action));
  });

  for (const role of ROLES) {
    it(`${role}: allows exactly the matrix's actions`, () => {
      const allowed = ACTIONS.filter((action) => MATRIX[action][role]);
      const refused = ACTIONS.filter((action) => !MATRIX[action][role]);
      for (const action of allowed) expect(roleMay(role, action), `${role} ${action}`).toBe(true);
      for (const action of refused) expect(roleMay(role, action), `${role} ${action}`).toBe(false);
      expect([...POLICY[role]].sort()).toEqual([...allowed].sort());
    });
  }

  it('gives every role self:read, and only admin users:manage and orgUnits:write', () => {
    for (const role of ROLES) expect(roleMay(role, 'self:read'), role).toBe(true);
    expect(ROLES.filter((role) => roleMay(role, 'users:manage'))).toEqual(['admin']);
    expect(ROLES.filter((role) => roleMay(role, 'orgUnits:write'))).toEqual(['admin']);
  });
});

describe('decide and can', () => {
  it('allows each role, at the root, every action of its row and refuses the others for the role', () => {
    for (const role of ROLES) {
      for (const action of ACTIONS) {
        const decision = decide(actor(role), action, { units: ['villageA1'] });
        expect(decision, `${role} ${action}`).toEqual(MATRIX[action][role] ? { allowed: true } : { allowed: false, reason: 'role' });
        expect(can(actor(role), action, { units: ['villageA1'] }), `${role} ${action}`).toBe(MATRIX[action][role]);
      }
    }
  });

  it('representative refusals by role: agent reads no reports, executive writes no campaigns, manager runs no jobs, analyst manages no users', () => {
    expect(decide(actor('agent'), 'reports:read')).toEqual({ allowed: false, reason: 'role' });
    expect(decide(actor('executive'), 'campaigns:write')).toEqual({ allowed: false, reason: 'role' });
    expect(decide(actor('manager'), 'jobs:run')).toEqual({ allowed: false, reason: 'role' });
    expect(decide(actor('analyst'), 'users:manage')).toEqual({ allowed: false, reason: 'role' });
    expect(decide(actor('analyst'), 'audit:read')).toEqual({ allowed: false, reason: 'role' });
    expect(decide(actor('agent'), 'cases:own')).toEqual({ allowed: false, reason: 'role' });
  });

  it('organisation-wide actions need the root: a city analyst or admin is refused with reason "organisation"', () => {
    for (const action of ['surveys:write', 'commitments:write', 'jobs:run'] as const) {
      for (const role of ['admin', 'analyst'] as const) {
        expect(decide(actor(role, ['cityA']), action), `${role} ${action}`).toEqual({ allowed: false, reason: 'organisation' });
        expect(decide(actor(role, ['cityA', 'cityB']), action), `${role} ${action} (every city)`).toEqual({ allowed: false, reason: 'organisation' });
        expect(decide(actor(role, ['prov']), action), `${role} ${action} (root)`).toEqual({ allowed: true });
        expect(decide(actor(role, 'everything'), action), `${role} ${action} (everything)`).toEqual({ allowed: true });
      }
    }
  });

  it('the role is asked first: an executive at a city is refused jobs:run for its role, not for its scope', () => {
    expect(decide(actor('executive', ['cityA']), 'jobs:run')).toEqual({ allowed: false, reason: 'role' });
    expect(decide(actor('agent', ['cityA']), 'surveys:write', { units: ['cityB'] })).toEqual({ allowed: false, reason: 'role' });
  });

  it('scope: units below the anchor are allowed, units elsewhere refused with reason "scope" naming them', () => {
    const manager = actor('manager', ['cityA']);
    expect(decide(manager, 'reports:read', { units: ['villageA1', 'countyA2'] })).toEqual({ allowed: true });
    expect(decide(manager, 'reports:read', { units: ['villageA1', 'villageB1', 'prov', 'nowhere'] })).toEqual({
      allowed: false,
      reason: 'scope',
      outside: ['villageB1', 'prov', 'nowhere'],
    });
    expect(can(manager, 'reports:read', { units: ['cityB'] })).toBe(false);
  });

  it('the organisation check comes before the scope check', () => {
    expect(decide(actor('analyst', ['cityA']), 'surveys:write', { units: ['cityB'] })).toEqual({ allowed: false, reason: 'organisation' });
  });

  it('a resource with no units (or an empty list) is decided by role and organisation only', () => {
    expect(decide(actor('agent', ['villageA1']), 'cases:work')).toEqual({ allowed: true });
    expect(decide(actor('agent', ['villageA1']), 'cases:work', {})).toEqual({ allowed: true });
    expect(decide(actor('agent', ['villageA1']), 'cases:work', { units: [] })).toEqual({ allowed: true });
    expect(can(actor('manager', ['townB1']), 'audit:read')).toBe(true);
  });

  it('the unbounded scope is allowed every unit, known or not', () => {
    expect(decide(actor('admin', 'everything'), 'orgUnits:write', { units: ['created-tomorrow', 'villageB1'] })).toEqual({ allowed: true });
  });
});

// ---- the use cases' access check (functions/app/access.ts), over an in-memory tree ---------------

describe('createAccess', () => {
  const counting = () => {
    const store = { reads: 0, listOrgUnits: async () => (store.reads++, UNITS) };
    return store;
  };

  it('requireUnits throws a 403 naming the units outside the scope (the first five, then a count)', async () => {
    const store = counting();
    const access = createAccess({ userId: 'usr_m', role: 'manager', pii: false, units: ['cityA'], action: 'reports:read', store });
    await expect(access.requireUnits(['villageA1'], 'the report')).resolves.toBeUndefined();
    const refusal = await access.requireUnits(['villageA1', 'cityB', 'prov'], 'the report').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(DomainError);
    expect(refusal).toMatchObject({ kind: 'forbidden', message: 'the report reaches units outside your scope: "cityB", "prov"' });
    const many = await access.requireUnits(['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7'], 'the campaign\'s audience').catch((error: unknown) => error);
    expect((many as Error).message).toBe('the campaign\'s audience reaches units outside your scope: "u1", "u2", "u3", "u4", "u5" and 2 more');
    expect([...access.checkedUnits]).toEqual(['villageA1', 'cityB', 'prov', 'u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7']);
    expect(store.reads).toBe(1); // the tree is read once per request
  });

  it('requireUnits refuses by role and by organisation with their own messages', async () => {
    const agent = createAccess({ userId: 'usr_a', role: 'agent', pii: false, units: ['prov'], action: 'reports:read', store: counting() });
    await expect(agent.requireUnits(['cityA'], 'the report')).rejects.toMatchObject({ kind: 'forbidden', message: 'the role "agent" may not do "reports:read"' });
    const analyst = createAccess({ userId: 'usr_b', role: 'analyst', pii: false, units: ['cityA'], action: 'jobs:run', store: counting() });
    await expect(analyst.requireUnits(['cityA'], 'the job')).rejects.toMatchObject({
      kind: 'forbidden',
      message: '"jobs:run" is for users whose scope is the whole organisation',
    });
    expect(deniedMessage('agent', 'reports:read', 'scope')).toBe('the role "agent" may not do "reports:read"');
  });

  it('an unbounded caller is asked its role only, and the tree is never read', async () => {
    const store = counting();
    const access = organisationAccess(store, 'orgUnits:write');
    expect(access.everything).toBe(true);
    await access.requireUnits(['created-tomorrow'], 'the change');
    expect(await access.covers('created-tomorrow')).toBe(true);
    expect(store.reads).toBe(0);
    const executive = createAccess({ userId: 'x', role: 'executive', pii: false, units: 'everything', action: 'campaigns:write', store });
    await expect(executive.requireUnits(['cityA'], 'the campaign')).rejects.toMatchObject({ kind: 'forbidden', message: 'the role "executive" may not do "campaigns:write"' });
    expect(store.reads).toBe(0);
  });

  it('can and covers answer through the same policy and scope', async () => {
    const access = createAccess({ userId: 'usr_m', role: 'manager', pii: true, units: ['countyA1'], action: 'reports:read', store: counting() });
    expect(access.everything).toBe(false);
    expect(await access.covers('villageA1')).toBe(true);
    expect(await access.covers('countyA2')).toBe(false);
    expect(await access.can('reports:read', { units: ['townA1'] })).toBe(true);
    expect(await access.can('reports:read', { units: ['cityA'] })).toBe(false);
    expect(await access.can('campaigns:write', { units: ['townA1'] })).toBe(false);
    expect((await access.scope()).home).toBe('countyA1');
  });
});

// ---- users: the boundary schemas -----------------------------------------------------------------

const goodUser = { email: 'li.wei@example.com', name: 'Li Wei', role: 'manager', orgUnits: ['cityA'] };
const issuesOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  (result.error?.issues ?? []).map((issue) => ({ path: issue.path.join('.'), message: issue.message }));

describe('createUserSchema', () => {
  it('accepts a minimal request and a full one', () => {
    expect(createUserSchema.safeParse(goodUser)).toMatchObject({ success: true, data: goodUser });
    const full = { ...goodUser, role: 'admin', orgUnits: ['cityA', 'cityB'], pii: true, language: 'en', password: 'x'.repeat(MIN_PASSWORD_LENGTH) };
    expect(createUserSchema.safeParse(full)).toMatchObject({ success: true, data: full });
    for (const role of ROLES) expect(createUserSchema.safeParse({ ...goodUser, role }).success, role).toBe(true);
  });

  it('trims the name and refuses one of blanks only', () => {
    expect(createUserSchema.safeParse({ ...goodUser, name: '  Li Wei  ' })).toMatchObject({ success: true, data: { name: 'Li Wei' } });
    expect(createUserSchema.safeParse({ ...goodUser, name: '   ' }).success).toBe(false);
    expect(createUserSchema.safeParse({ ...goodUser, name: 'x'.repeat(201) }).success).toBe(false);
  });

  it(`refuses a password shorter than ${MIN_PASSWORD_LENGTH} characters, and accepts one of exactly ${MIN_PASSWORD_LENGTH}`, () => {
    expect(MIN_PASSWORD_LENGTH).toBe(12);
    const short = createUserSchema.safeParse({ ...goodUser, password: 'x'.repeat(MIN_PASSWORD_LENGTH - 1) });
    expect(issuesOf(short)).toEqual([{ path: 'password', message: 'a password has at least 12 characters' }]);
    expect(createUserSchema.safeParse({ ...goodUser, password: 'x'.repeat(MIN_PASSWORD_LENGTH) }).success).toBe(true);
    expect(passwordSchema.safeParse('x'.repeat(256)).success).toBe(true);
    expect(passwordSchema.safeParse('x'.repeat(257)).success).toBe(false);
    expect(passwordSchema.safeParse('').success).toBe(false);
  });

  it('refuses an unknown role, an empty or oversized scope, and a bad unit id', () => {
    expect(issuesOf(createUserSchema.safeParse({ ...goodUser, role: 'superuser' })).map((issue) => issue.path)).toEqual(['role']);
    expect(issuesOf(createUserSchema.safeParse({ ...goodUser, role: 'Admin' })).map((issue) => issue.path)).toEqual(['role']);
    expect(issuesOf(createUserSchema.safeParse({ ...goodUser, orgUnits: [] }))).toEqual([{ path: 'orgUnits', message: 'give at least one org unit' }]);
    expect(createUserSchema.safeParse({ ...goodUser, orgUnits: Array.from({ length: 51 }, (_, i) => `u${i}`) }).success).toBe(false);
    expect(createUserSchema.safeParse({ ...goodUser, orgUnits: Array.from({ length: 50 }, (_, i) => `u${i}`) }).success).toBe(true);
    expect(createUserSchema.safeParse({ ...goodUser, orgUnits: [''] }).success).toBe(false);
    expect(createUserSchema.safeParse({ ...goodUser, orgUnits: 'cityA' }).success).toBe(false);
  });

  it('refuses a bad e-mail', () => {
    for (const email of ['', 'li.wei', 'li.wei@', '@example.com', 'li wei@example.com', 'li.wei@example', ' li.wei@example.com ']) {
      expect(issuesOf(createUserSchema.safeParse({ ...goodUser, email })).map((issue) => issue.path), JSON.stringify(email)).toEqual(['email']);
    }
    expect(createUserSchema.safeParse({ ...goodUser, email: `${'a'.repeat(250)}@example.com` }).success).toBe(false); // > 254
  });

  it('refuses unknown fields, missing required ones, a bad language and a non-boolean pii', () => {
    expect(createUserSchema.safeParse({ ...goodUser, revision: 5 }).success).toBe(false);
    expect(createUserSchema.safeParse({ ...goodUser, userId: 'usr_mine' }).success).toBe(false);
    const { role: _role, ...withoutRole } = goodUser;
    expect(issuesOf(createUserSchema.safeParse(withoutRole)).map((issue) => issue.path)).toEqual(['role']);
    expect(createUserSchema.safeParse({ ...goodUser, language: 'fr' }).success).toBe(false);
    expect(createUserSchema.safeParse({ ...goodUser, pii: 'yes' }).success).toBe(false);
  });

  it('normaliseEmail trims and lower-cases (what makes the e-mail claim case-insensitive)', () => {
    expect(normaliseEmail('  Li.Wei@Example.COM ')).toBe('li.wei@example.com');
    expect(normaliseEmail('LI.WEI@EXAMPLE.COM')).toBe(normaliseEmail('li.wei@example.com'));
    // The schema accepts mixed case; the use case stores it normalised.
    expect(createUserSchema.safeParse({ ...goodUser, email: 'Li.Wei@Example.com' }).success).toBe(true);
  });
});

describe('patchUserSchema', () => {
  it('accepts any one field, or several', () => {
    for (const patch of [{ name: 'Wang Fang' }, { role: 'agent' }, { orgUnits: ['townA1'] }, { pii: true }, { language: 'en' }, { disabled: true }]) {
      expect(patchUserSchema.safeParse(patch).success, JSON.stringify(patch)).toBe(true);
    }
    expect(patchUserSchema.safeParse({ role: 'analyst', orgUnits: ['prov'], disabled: false })).toMatchObject({ success: true });
  });

  it('refuses an empty change, an unknown role, an empty scope, and fields that may not change here', () => {
    expect(issuesOf(patchUserSchema.safeParse({}))).toEqual([{ path: '', message: 'give at least one field to change' }]);
    expect(patchUserSchema.safeParse({ role: 'root' }).success).toBe(false);
    expect(issuesOf(patchUserSchema.safeParse({ orgUnits: [] }))).toEqual([{ path: 'orgUnits', message: 'give at least one org unit' }]);
    for (const field of ['email', 'password', 'revision', 'userId', 'createdBy']) {
      expect(patchUserSchema.safeParse({ [field]: 'x' }).success, field).toBe(false);
    }
    expect(patchUserSchema.safeParse({ name: '  ' }).success).toBe(false);
    expect(patchUserSchema.safeParse({ disabled: 'true' }).success).toBe(false);
  });
});

describe('userView', () => {
  it('drops the bookkeeping (createdBy, revision) and keeps the rest', () => {
    const record = userRecord({ orgUnits: ['cityA'], revision: 3 });
    const { createdBy: _c, revision: _r, ...expected } = record;
    expect(userView(record)).toEqual(expected);
    expect(Object.keys(userView(record))).not.toContain('revision');
  });
});

// ---- the audit trail ----------------------------------------------------------------------------

describe('withoutPersonalData', () => {
  it('blanks every personal field, keeps its key, and leaves the rest as it is', () => {
    const body = {
      campaignId: 'cmp_1',
      phone: '+8613800138000',
      name: 'Li Wei',
      email: 'li.wei@example.com',
      password: 'correct horse battery staple',
      orgUnitId: 'cityA',
      count: 3,
      enabled: true,
      nothing: null,
    };
    expect(withoutPersonalData(body)).toEqual({
      campaignId: 'cmp_1',
      phone: '(personal)',
      name: '(personal)',
      email: '(personal)',
      password: '(personal)',
      orgUnitId: 'cityA',
      count: 3,
      enabled: true,
      nothing: null,
    });
  });

  it('goes through nested objects and arrays, and matches names case-insensitively', () => {
    const body = {
      contacts: [
        { phone: '+8613800138000', Name: 'A', externalId: 'e1' },
        { Mobile: '+8613900139000', 'E-Mail': 'b@example.com', attributes: { tier: 'gold' } },
      ],
      sms: { to: '+8613700137000', text: 'hello', from: 'MANYI' },
      user: { displayName: 'X', newPassword: 'y'.repeat(12), temporaryPassword: 'z', role: 'agent' },
      // A personal field holding an object is blanked whole.
      contact: { phone: '+8613600136000', orgUnitId: 'cityA' },
      comment: { nested: 'free text' },
    };
    expect(withoutPersonalData(body)).toEqual({
      contacts: [
        { phone: '(personal)', Name: '(personal)', externalId: 'e1' },
        { Mobile: '(personal)', 'E-Mail': '(personal)', attributes: { tier: 'gold' } },
      ],
      sms: { to: '(personal)', text: '(personal)', from: '(personal)' },
      user: { displayName: '(personal)', newPassword: '(personal)', temporaryPassword: '(personal)', role: 'agent' },
      contact: '(personal)',
      comment: '(personal)',
    });
  });

  it('leaves primitives and arrays of primitives alone, and does not change its input', () => {
    expect(withoutPersonalData('+8613800138000')).toBe('+8613800138000'); // only a field's name marks it personal
    expect(withoutPersonalData(42)).toBe(42);
    expect(withoutPersonalData(null)).toBeNull();
    expect(withoutPersonalData(undefined)).toBeUndefined();
    expect(withoutPersonalData(['a', 1])).toEqual(['a', 1]);
    const input = { phone: '+8613800138000' };
    withoutPersonalData(input);
    expect(input).toEqual({ phone: '+8613800138000' });
  });
});

describe('auditQuerySchema', () => {
  it('accepts an empty query and every field well formed', () => {
    expect(auditQuerySchema.safeParse({}).success).toBe(true);
    expect(auditQuerySchema.safeParse({ from: '2026-01-01', to: '2026-02-01', userId: 'usr_1', orgUnit: 'cityA' }).success).toBe(true);
  });

  it('refuses dates that are not calendar dates, unknown fields and empty or long ids', () => {
    for (const from of ['2026-02-30', '2026-13-01', '2026-1-1', '20260101', '2026-01-01T00:00:00Z', '']) {
      expect(auditQuerySchema.safeParse({ from }).success, from).toBe(false);
    }
    expect(auditQuerySchema.safeParse({ to: '2026-04-31' }).success).toBe(false);
    expect(auditQuerySchema.safeParse({ since: '2026-01-01' }).success).toBe(false);
    expect(auditQuerySchema.safeParse({ userId: '' }).success).toBe(false);
    expect(auditQuerySchema.safeParse({ userId: 'u'.repeat(101) }).success).toBe(false);
    expect(auditQuerySchema.safeParse({ orgUnit: 'u'.repeat(65) }).success).toBe(false);
  });

  it('checks only the form: the order and length of the range are the use case\'s (below)', () => {
    // Not a refusal here: listAudit (functions/app/audit.ts) refuses these after parsing.
    expect(auditQuerySchema.safeParse({ from: '2026-12-01', to: '2026-01-01' }).success).toBe(true);
    expect(auditQuerySchema.safeParse({ from: '2020-01-01', to: '2026-01-01' }).success).toBe(true);
  });
});

describe('listAudit: the range of an audit query', () => {
  const record = (at: string, orgUnit?: string): AuditRecord => ({
    auditId: `aud_${at}`,
    at,
    userId: 'usr_1',
    role: 'admin',
    action: 'POST /admin/campaigns',
    targetIds: [],
    ...(orgUnit ? { orgUnit } : {}),
    status: 201,
    outcome: 'succeeded',
    requestId: at,
  });
  const setup = (records: AuditRecord[] = []) => {
    const asked: string[][] = [];
    const deps = {
      store: {
        listOrgUnits: async () => UNITS,
        listAudit: async (days: readonly string[]) => (asked.push([...days]), records.filter((r) => days.includes(r.at.slice(0, 10)))),
      },
      clock: { now: () => new Date('2026-11-10T02:00:00.000Z') },
      config: { timeZone: 'Asia/Shanghai' },
    } as unknown as Pick<Deps, 'store' | 'clock' | 'config'>;
    return { deps, asked };
  };
  const access = organisationAccess({ listOrgUnits: async () => UNITS }, 'audit:read');

  it('refuses "from" after "to"', async () => {
    const { deps, asked } = setup();
    await expect(listAudit(deps, { from: '2026-11-02', to: '2026-11-01' }, access)).rejects.toMatchObject({
      kind: 'validation',
      problems: [{ path: 'from', message: '"from" is after "to"' }],
    });
    expect(asked).toEqual([]);
  });

  it(`refuses a range of more than ${MAX_AUDIT_QUERY_DAYS} days and accepts exactly ${MAX_AUDIT_QUERY_DAYS}`, async () => {
    const { deps } = setup();
    // 2026-01-01 .. 2027-02-04 inclusive is 400 days; one more is 401.
    await expect(listAudit(deps, { from: '2026-01-01', to: '2027-02-04' }, access)).resolves.toEqual({ records: [] });
    await expect(listAudit(deps, { from: '2026-01-01', to: '2027-02-05' }, access)).rejects.toMatchObject({
      kind: 'validation',
      problems: [{ path: 'from', message: 'ask for at most 400 days at once' }],
    });
  });

  it('refuses a malformed query with the schema\'s problems', async () => {
    const { deps } = setup();
    await expect(listAudit(deps, { from: 'yesterday' }, access)).rejects.toMatchObject({ kind: 'validation', message: 'invalid audit query' });
  });

  it('reads the UTC days under the local dates asked (Asia/Shanghai is UTC+8) and keeps only records inside them, newest first', async () => {
    const inside = [record('2026-11-08T16:00:00.000Z'), record('2026-11-09T15:59:59.999Z')]; // local 2026-11-09 00:00 .. 23:59:59.999
    const outside = [record('2026-11-08T15:59:59.999Z'), record('2026-11-09T16:00:00.000Z')];
    const { deps, asked } = setup([...outside, ...inside].sort((a, b) => a.at.localeCompare(b.at)));
    const { records } = await listAudit(deps, { from: '2026-11-09', to: '2026-11-09' }, access);
    expect(asked).toEqual([['2026-11-08', '2026-11-09']]);
    expect(records.map((r) => r.at)).toEqual(['2026-11-09T15:59:59.999Z', '2026-11-08T16:00:00.000Z']);
  });

  it('shows a reader below the root the records of its subtree only, and no record without a unit', async () => {
    const records = [record('2026-11-10T01:00:00.000Z', 'villageA1'), record('2026-11-10T01:01:00.000Z', 'cityB'), record('2026-11-10T01:02:00.000Z')];
    const { deps } = setup(records);
    const manager = createAccess({ userId: 'usr_m', role: 'manager', pii: false, units: ['cityA'], action: 'audit:read', store: { listOrgUnits: async () => UNITS } });
    expect((await listAudit(deps, {}, manager)).records.map((r) => r.orgUnit)).toEqual(['villageA1']);
    expect((await listAudit(deps, {}, access)).records).toHaveLength(3);
  });
});
