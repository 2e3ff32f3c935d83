/**
 * Users and the audit trail against a real DynamoDB API (dynalite and DynamoDB Local): the e-mail claim raced and
 * crashed, the revision-conditional update, the GSI1 list, local credentials, and the audit trail's
 * once-only records, day partitions and TTL.
 */
import { userRecord } from '../helpers/users';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../functions/domain/access/audit';
import type { UserRecord } from '../../functions/domain/access/users';
import { startTestDynamo, type TestDynamo } from '../helpers/dynamodb-backend';
import { connectStore, type DynamoStore } from '../../functions/store/dynamo-store';
import { keys } from '../../functions/store/keys';
import { Table } from '../../functions/store/table';
import { partitionItems } from '../helpers/items';

let TABLE: string;
let dynamo: TestDynamo;
let store: DynamoStore;
let table: Table;
const extraStores: DynamoStore[] = [];

beforeAll(async () => {
  dynamo = await startTestDynamo();
  TABLE = dynamo.table('users-test');
  store = connectStore(TABLE, dynamo.clientConfig);
  await store.ensureTable();
  table = Table.connect(TABLE, dynamo.clientConfig);
});
afterAll(async () => {
  for (const extra of extraStores) extra.client.destroy();
  store?.client.destroy();
  table?.client.destroy();
  await dynamo?.close();
});

let counter = 0;
const user = (overrides: Partial<UserRecord> = {}): UserRecord => {
  counter++;
  return userRecord({ userId: `usr_${counter}`, email: `user${counter}@example.com`, ...overrides });
};

/** A command as the client sends it: its name and the item/condition of a put. */
type SentCommand = { name: string; sk?: string; condition?: string };

/**
 * A second store on the same table whose client stops before the first command `at` matches, until
 * released: a creation paused at one exact step on the real API (no timing guesses, no sleeps).
 */
function storePausedAt(at: (command: SentCommand) => boolean): { store: DynamoStore; reached: Promise<void>; release: () => void } {
  const paused = connectStore(TABLE, dynamo.clientConfig);
  extraStores.push(paused);
  let signalReached!: () => void;
  let release!: () => void;
  const reached = new Promise<void>((resolve) => (signalReached = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  let done = false;
  paused.client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { Item?: { sk?: string | { S?: string } }; ConditionExpression?: string };
      const sk = typeof input.Item?.sk === 'string' ? input.Item.sk : input.Item?.sk?.S;
      if (!done && at({ name: String(context.commandName), ...(sk ? { sk } : {}), ...(input.ConditionExpression ? { condition: input.ConditionExpression } : {}) })) {
        done = true;
        signalReached();
        await released;
      }
      return next(args);
    },
    { step: 'initialize', name: 'pauseAtStep' },
  );
  return { store: paused, reached, release };
}

const isUserPut = (command: SentCommand) => command.name === 'PutItemCommand' && command.sk === 'USER';
const isClaimTakeover = (command: SentCommand) => command.name === 'PutItemCommand' && command.sk === 'REF' && (command.condition ?? '').includes(':old');

const usersWithEmail = async (email: string) => (await store.listUsers()).filter((listed) => listed.email === email);

describe('createUser: one user per e-mail', () => {
  it('creates a user, reads it back by id, by e-mail and in the list, with no key attributes', async () => {
    const created = user({ name: '王女士', orgUnits: ['cityA', 'townB1'], pii: true });
    expect(await store.createUser(created)).toBe('created');
    expect(await store.getUser(created.userId)).toEqual(created);
    expect(await store.getUserByEmail(created.email)).toEqual(created);
    expect((await store.listUsers()).find((listed) => listed.userId === created.userId)).toEqual(created);
    expect(await store.getUser('usr_missing')).toBeUndefined();
    expect(await store.getUserByEmail('nobody@example.com')).toBeUndefined();
  });

  it('stores the user under USER#id with its GSI1 list entry, and the claim under USER_EMAIL#email', async () => {
    const created = user();
    await store.createUser(created);
    const [item] = await partitionItems(store, keys.user(created.userId).pk);
    expect(item).toMatchObject({ pk: `USER#${created.userId}`, sk: 'USER', gsi1pk: 'USERS', gsi1sk: `USER#${created.userId}`, entity: 'User' });
    expect(await partitionItems(store, keys.userEmail(created.email).pk)).toEqual([
      { pk: `USER_EMAIL#${created.email}`, sk: 'REF', confirmed: true, entity: 'UserEmail', userId: created.userId },
    ]);
  });

  it('refuses a second user with the same e-mail ("exists") and writes nothing of it', async () => {
    const first = user();
    const second = user({ email: first.email });
    expect(await store.createUser(first)).toBe('created');
    expect(await store.createUser(second)).toBe('exists');
    expect(await store.getUser(second.userId)).toBeUndefined();
    expect((await store.getUserByEmail(first.email))?.userId).toBe(first.userId);
  });

  it('answers "exists" to a repeat of a creation that completed (same user, same id): nothing is duplicated', async () => {
    const created = user();
    expect(await store.createUser(created)).toBe('created');
    expect(await store.createUser(created)).toBe('exists');
    expect(await usersWithEmail(created.email)).toHaveLength(1);
  });

  it('of ten concurrent creations with one e-mail, exactly one is created and nine are refused', async () => {
    const email = 'race@example.com';
    const candidates = Array.from({ length: 10 }, () => user({ email }));
    const outcomes = await Promise.all(candidates.map((candidate) => store.createUser(candidate)));
    expect(outcomes.filter((outcome) => outcome === 'created')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'exists')).toHaveLength(9);
    const winner = candidates[outcomes.indexOf('created')]!;
    expect(await usersWithEmail(email)).toEqual([winner]);
    expect((await store.getUserByEmail(email))?.userId).toBe(winner.userId);
  });

  it('does not let a second creation take the e-mail of a creation still between its claim and its user item', async () => {
    // The first creation has claimed the e-mail and is slow to write its user (a cold start, a
    // throttled write); the second finds a claim naming a user not there yet, and takes it over.
    const email = 'slow-claim@example.com';
    const slow = storePausedAt(isUserPut);
    const firstOutcome = slow.store.createUser(user({ email }));
    await slow.reached;
    const secondOutcome = await store.createUser(user({ email }));
    slow.release();
    const outcomes = [await firstOutcome, secondOutcome];
    expect(outcomes.sort()).toEqual(['created', 'exists']);
    expect(await usersWithEmail(email)).toHaveLength(1);
  });

  it('does not let a takeover decided on a stale read win over a creation that has confirmed meanwhile', async () => {
    // The second creation read the claim while the first had not written its user yet; the first
    // then writes and confirms; the second's takeover arrives last and must fail.
    const email = 'stale-takeover@example.com';
    const first = storePausedAt(isUserPut);
    const firstOutcome = first.store.createUser(user({ email }));
    await first.reached;
    const second = storePausedAt(isClaimTakeover);
    const secondOutcome = second.store.createUser(user({ email }));
    await second.reached;
    first.release();
    expect(await firstOutcome).toBe('created');
    second.release();
    expect(await secondOutcome).toBe('exists');
    expect(await usersWithEmail(email)).toHaveLength(1);
  });

  it('is case-sensitive itself: the use case stores e-mails lower-cased (normaliseEmail), the store compares them as given', async () => {
    // functions/app/users.ts and functions/local/sign-in.ts normalise before calling the store.
    const lower = user({ email: 'case@example.com' });
    expect(await store.createUser(lower)).toBe('created');
    expect(await store.getUserByEmail('Case@Example.com')).toBeUndefined();
    expect((await store.getUserByEmail('case@example.com'))?.userId).toBe(lower.userId);
  });
});

describe('createUser after a crash between the e-mail claim and the user item', () => {
  /** What a crashed createUser leaves: the claim only, as the store writes it. */
  const leaveClaim = (email: string, userId: string) => table.put({ ...keys.userEmail(email), entity: 'UserEmail', userId });

  it('completes a retry with a new user id (the use case makes a new id per request)', async () => {
    const email = 'crashed@example.com';
    await leaveClaim(email, 'usr_crashed');
    expect(await store.getUserByEmail(email)).toBeUndefined(); // a claim naming no user is no user
    const retry = user({ email });
    expect(await store.createUser(retry)).toBe('created');
    expect(await store.getUserByEmail(email)).toEqual(retry);
    expect(await partitionItems(store, keys.userEmail(email).pk)).toEqual([expect.objectContaining({ userId: retry.userId })]);
    expect(await store.getUser('usr_crashed')).toBeUndefined();
    // And the e-mail is now taken for good.
    expect(await store.createUser(user({ email }))).toBe('exists');
  });

  it('completes a retry with the same user id', async () => {
    const retry = user({ email: 'crashed-same-id@example.com' });
    await leaveClaim(retry.email, retry.userId);
    expect(await store.createUser(retry)).toBe('created');
    expect(await store.getUser(retry.userId)).toEqual(retry);
  });

  it('lets only one of several concurrent retries take over the stale claim', async () => {
    const email = 'crashed-race@example.com';
    await leaveClaim(email, 'usr_crashed_race');
    const retries = Array.from({ length: 5 }, () => user({ email }));
    const outcomes = await Promise.all(retries.map((retry) => store.createUser(retry)));
    expect(outcomes.filter((outcome) => outcome === 'created')).toHaveLength(1);
    expect(await usersWithEmail(email)).toHaveLength(1);
    expect((await store.getUserByEmail(email))?.userId).toBe(retries[outcomes.indexOf('created')]!.userId);
  });
});

describe('updateUser: conditional on the revision', () => {
  it('applies a change made from the stored revision and bumps it; refuses one from a stale revision', async () => {
    const original = user();
    await store.createUser(original);
    const changed = { ...original, role: 'agent' as const, orgUnits: ['townA1'], updatedAt: '2026-11-10T03:00:00.000Z', revision: 2 };
    expect(await store.updateUser(changed, 1)).toBe(true);
    expect(await store.getUser(original.userId)).toEqual(changed);

    // A second editor that read revision 1 loses: nothing of its change is written.
    expect(await store.updateUser({ ...original, disabled: true, revision: 2 }, 1)).toBe(false);
    expect(await store.getUser(original.userId)).toMatchObject({ revision: 2, role: 'agent', disabled: false });

    expect(await store.updateUser({ ...changed, disabled: true, revision: 3 }, 2)).toBe(true);
    expect(await store.getUser(original.userId)).toMatchObject({ revision: 3, disabled: true });
    // Still listed once, with the new state; still found by its e-mail.
    expect((await store.listUsers()).filter((listed) => listed.userId === original.userId)).toEqual([expect.objectContaining({ revision: 3, disabled: true })]);
    expect((await store.getUserByEmail(original.email))?.revision).toBe(3);
  });

  it('of two concurrent changes from the same revision, exactly one is written', async () => {
    const original = user();
    await store.createUser(original);
    const results = await Promise.all([
      store.updateUser({ ...original, name: 'A', revision: 2 }, 1),
      store.updateUser({ ...original, name: 'B', revision: 2 }, 1),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await store.getUser(original.userId))?.name).toBe(results[0] ? 'A' : 'B');
  });

  it('never creates a user that is not there', async () => {
    const ghost = user();
    expect(await store.updateUser({ ...ghost, revision: 2 }, 1)).toBe(false);
    expect(await store.getUser(ghost.userId)).toBeUndefined();
  });
});

describe('listUsers and credentials', () => {
  it('lists every created user through GSI1, and no credential item', async () => {
    const created = [user(), user(), user()];
    for (const one of created) await store.createUser(one);
    await store.putCredential({ userId: created[0]!.userId, hash: 'scrypt$...', mustChange: true, updatedAt: '2026-11-10T02:00:00.000Z' });
    const listed = await store.listUsers();
    for (const one of created) expect(listed).toContainEqual(one);
    expect(listed.every((entry) => typeof entry.email === 'string' && !('hash' in entry))).toBe(true);
    expect(new Set(listed.map((entry) => entry.userId)).size).toBe(listed.length);
  });

  it('keeps a credential beside its user, replaces it, and never shows it in the user', async () => {
    const owner = user();
    await store.createUser(owner);
    expect(await store.getCredential(owner.userId)).toBeUndefined();
    const credential = { userId: owner.userId, hash: 'scrypt$N=32768,r=8,p=3$salt$key', mustChange: true, updatedAt: '2026-11-10T02:00:00.000Z' };
    await store.putCredential(credential);
    expect(await store.getCredential(owner.userId)).toEqual(credential);
    const changed = { ...credential, hash: 'scrypt$N=32768,r=8,p=3$salt2$key2', mustChange: false, updatedAt: '2026-11-10T03:00:00.000Z' };
    await store.putCredential(changed);
    expect(await store.getCredential(owner.userId)).toEqual(changed);
    expect(await store.getUser(owner.userId)).toEqual(owner);
    expect((await partitionItems(store, `USER#${owner.userId}`)).map((item) => item.sk).sort()).toEqual(['CREDENTIAL', 'USER']);
  });
});

// ---- the audit trail ----------------------------------------------------------------------------

const DAY = 86_400;
const epoch = (iso: string) => Math.floor(Date.parse(iso) / 1000);
const audit = (auditId: string, at: string, overrides: Partial<AuditRecord> = {}): AuditRecord => ({
  auditId,
  at,
  userId: 'usr_admin',
  role: 'admin',
  action: 'POST /admin/campaigns',
  targetIds: ['cmp_1'],
  orgUnit: 'cityA',
  status: 201,
  outcome: 'succeeded',
  bodyDigest: 'a'.repeat(64),
  requestId: auditId.replace('aud_', ''),
  ...overrides,
});

describe('the audit trail', () => {
  it('appends a record once: the same record again reports "exists" and is not duplicated nor replaced', async () => {
    const record = audit('aud_once', '2026-03-01T08:00:00.000Z');
    expect(await store.appendAudit(record, 400)).toBe('created');
    expect(await store.appendAudit(record, 400)).toBe('exists');
    expect(await store.appendAudit({ ...record, status: 500, outcome: 'failed' }, 400)).toBe('exists');
    const listed = await store.listAudit(['2026-03-01'], epoch('2026-03-02T00:00:00Z'));
    expect(listed).toEqual([record]);
  });

  it('keeps one partition per UTC day, lists the days asked, oldest first, and strips key and ttl attributes', async () => {
    const lastOfDay = audit('aud_d1_late', '2026-04-01T23:59:59.999Z');
    const firstOfDay = audit('aud_d1_early', '2026-04-01T00:00:00.000Z', { orgUnit: undefined });
    const nextDay = audit('aud_d2', '2026-04-02T00:00:00.000Z', { outcome: 'refused', status: 403 });
    const otherDay = audit('aud_d5', '2026-04-05T12:00:00.000Z');
    for (const record of [nextDay, lastOfDay, otherDay, firstOfDay]) expect(await store.appendAudit(record, 400)).toBe('created');

    const now = epoch('2026-04-10T00:00:00Z');
    expect(await store.listAudit(['2026-04-01'], now)).toEqual([firstOfDay, lastOfDay]);
    expect(await store.listAudit(['2026-04-02'], now)).toEqual([nextDay]);
    expect(await store.listAudit(['2026-04-01', '2026-04-02', '2026-04-03'], now)).toEqual([firstOfDay, lastOfDay, nextDay]);
    expect(await store.listAudit(['2026-04-03', '2026-04-04'], now)).toEqual([]);
    expect(await store.listAudit([], now)).toEqual([]);

    const [item] = await partitionItems(store, keys.auditPartition('2026-04-05'));
    expect(item).toMatchObject({ pk: 'AUDIT#2026-04-05', sk: '2026-04-05T12:00:00.000Z#aud_d5', entity: 'Audit', ttl: epoch(otherDay.at) + 400 * DAY });
    const [listed] = await store.listAudit(['2026-04-05'], now);
    expect(listed).toEqual(otherDay);
    for (const attribute of ['pk', 'sk', 'ttl', 'entity']) expect(listed, attribute).not.toHaveProperty(attribute);
  });

  it('two records of the same instant with different ids are both kept', async () => {
    const at = '2026-05-01T10:00:00.000Z';
    expect(await store.appendAudit(audit('aud_same_a', at), 400)).toBe('created');
    expect(await store.appendAudit(audit('aud_same_b', at), 400)).toBe('created');
    expect((await store.listAudit(['2026-05-01'], epoch(at))).map((record) => record.auditId)).toEqual(['aud_same_a', 'aud_same_b']);
  });

  it('hides a record whose ttl has passed (dynalite never deletes it; DynamoDB does so late)', async () => {
    const old = audit('aud_old', '2026-06-01T00:00:00.000Z');
    const kept = audit('aud_kept', '2026-06-01T12:00:00.000Z');
    await store.appendAudit(old, 1);
    await store.appendAudit(kept, 30);
    const expiry = epoch(old.at) + DAY;

    expect(await store.listAudit(['2026-06-01'], expiry - 1)).toEqual([old, kept]);
    expect(await store.listAudit(['2026-06-01'], expiry)).toEqual([kept]); // expired at its ttl
    expect(await store.listAudit(['2026-06-01'], expiry + 10 * DAY)).toEqual([kept]);
    expect(await store.listAudit(['2026-06-01'], epoch(kept.at) + 31 * DAY)).toEqual([]);
    // Still stored: only the reads skip it.
    expect(await partitionItems(store, keys.auditPartition('2026-06-01'))).toHaveLength(2);
  });
});
