/**
 * Field-level encryption in the store (functions/store/ with functions/shared/field-protection.ts)
 * on a real DynamoDB API, with the AWS key source (functions/channels/kms-field-key.ts) talking to
 * a stand-in for KMS behind the SDK's own serialisation (no network): requests are checked in the
 * shape KMS receives them. Checked: the data key is generated once per table and unwrapped by
 * every other container, also when two start at once; items hold no number, name or address in
 * clear; data written before encryption was turned on is still found (identity claims, opt-outs,
 * the person index, reply targets) and the sealing pass seals and re-keys it, after which lookups
 * read the hashed form only.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { KMSClient } from '@aws-sdk/client-kms';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kmsFieldKey } from '../../functions/channels/kms-field-key';
import type { ContactRecord, InvitationRecord } from '../../functions/domain/records';
import { connectStore, type DynamoStore } from '../../functions/store/dynamo-store';
import { keys } from '../../functions/store/keys';
import type { FieldKeys } from '../../functions/store/table';
import { startTestDynamo, type TestDynamo } from '../helpers/dynamodb-backend';

const KEY_ID = 'arn:aws:kms:ap-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

interface KmsRequest {
  operation: string;
  input: Record<string, unknown>;
}

/** KMS as far as the field key uses it: data keys it wraps, and unwraps only with the same context. */
function standInKms() {
  const requests: KmsRequest[] = [];
  const wrapped = new Map<string, { plaintext: Buffer; context: string }>();
  const reply = (status: number, body: object) => ({
    response: { statusCode: status, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: Readable.from([Buffer.from(JSON.stringify(body))]) },
  });
  const client = () =>
    new KMSClient({
      region: 'ap-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      maxAttempts: 1,
      requestHandler: {
        handle: async (request: { headers: Record<string, string>; body?: unknown }) => {
          const operation = String(request.headers['x-amz-target']).replace('TrentService.', '');
          const input = JSON.parse(typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body as Uint8Array)) as Record<string, unknown>;
          requests.push({ operation, input });
          const context = JSON.stringify(input.EncryptionContext);
          if (operation === 'GenerateDataKey') {
            const plaintext = randomBytes(32);
            const blob = randomBytes(48).toString('base64');
            wrapped.set(blob, { plaintext, context });
            return reply(200, { KeyId: KEY_ID, Plaintext: plaintext.toString('base64'), CiphertextBlob: blob });
          }
          const known = wrapped.get(String(input.CiphertextBlob));
          if (operation !== 'Decrypt' || !known || known.context !== context) return reply(400, { __type: 'InvalidCiphertextException', message: 'no' });
          return reply(200, { KeyId: KEY_ID, Plaintext: known.plaintext.toString('base64') });
        },
      },
    });
  return { requests, client };
}

/** One KMS for the file: the table's key, once wrapped, is unwrapped by it only. */
const kms = standInKms();
let dynamo: TestDynamo;
let tableName: string;
const stores: DynamoStore[] = [];
/** A store over the test table, as one Lambda container (or one process) would have it. */
const storeWith = (fieldKeys: FieldKeys) => {
  const store = connectStore(tableName, dynamo.clientConfig, fieldKeys);
  stores.push(store);
  return store;
};
const rawItems = async () => {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await stores[0]!.client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
};
const rawItem = async (key: { pk: string; sk: string }) => (await rawItems()).find((item) => item.pk === key.pk && item.sk === key.sk);

const contact = (id: string, phone: string, name: string, email?: string): ContactRecord => ({
  contactId: id,
  name,
  phone,
  ...(email ? { email } : {}),
  orgUnitId: 'n1',
  timeZone: 'Asia/Shanghai',
  attributes: {},
  fingerprint: `fp-${id}`,
  createdAt: '2026-11-10T02:00:00.000Z',
  updatedAt: '2026-11-10T02:00:00.000Z',
});
const invitation = (token: string, person: InvitationRecord['contact'], contactId?: string): InvitationRecord => ({
  invitationId: `inv-${token}`,
  token,
  campaignId: 'c1',
  surveyId: 'mini-csi',
  version: 1,
  orgUnitId: 'n1',
  contact: person,
  ...(contactId ? { contactId } : {}),
  createdAt: '2026-11-10T02:00:00.000Z',
  expiresAt: '2026-11-17T02:00:00.000Z',
  channel: 'sms',
  status: 'sent',
});

beforeAll(async () => {
  dynamo = await startTestDynamo();
  tableName = dynamo.table('field-encryption');
  await storeWith('clear').ensureTable();
});
afterAll(async () => {
  for (const store of stores) store.client.destroy();
  await dynamo?.close();
});

describe('the data key on AWS (KMS, envelope encryption)', () => {
  it('is generated once, wrapped, kept in the table, and unwrapped by every other container', async () => {
    // Two containers start at once on a table without a key: both generate one, one is kept.
    const [first, second] = [storeWith(kmsFieldKey(KEY_ID, tableName, kms.client())), storeWith(kmsFieldKey(KEY_ID, tableName, kms.client()))];
    await Promise.all([first.putContact(contact('k1', '+8613800000801', '王小明')), second.putContact(contact('k2', '+8613800000802', '李四'))]);
    const generated = kms.requests.filter((request) => request.operation === 'GenerateDataKey');
    expect(generated.length).toBeGreaterThanOrEqual(1);
    for (const request of generated) {
      expect(request.input).toEqual({ KeyId: KEY_ID, KeySpec: 'AES_256', EncryptionContext: { purpose: 'manyi-field-encryption', table: tableName } });
    }
    // A third container, later: one Decrypt of the stored key, with the same context.
    const third = storeWith(kmsFieldKey(KEY_ID, tableName, kms.client()));
    expect((await third.getContact('k1'))?.phone).toBe('+8613800000801');
    expect((await third.getContact('k2'))?.name).toBe('李四');
    const wrappedKey = (await rawItem(keys.fieldKey))?.wrappedKey;
    expect(typeof wrappedKey).toBe('string');
    const decrypts = kms.requests.filter((request) => request.operation === 'Decrypt');
    expect(decrypts.at(-1)?.input).toEqual({ KeyId: KEY_ID, CiphertextBlob: wrappedKey, EncryptionContext: { purpose: 'manyi-field-encryption', table: tableName } });
    // Each container asks KMS once: a container's second use costs no call.
    const calls = kms.requests.length;
    await third.getContact('k2');
    expect(kms.requests.length).toBe(calls);
  });
});

describe('a table with personal fields sealed', () => {
  let sealedStore: DynamoStore;
  beforeAll(() => {
    sealedStore = storeWith(kmsFieldKey(KEY_ID, tableName, kms.client()));
  });

  it('holds no number, name or address in clear, and finds each person again', async () => {
    const wang = contact('s1', '+8613800000811', '王大明', 'wang.dm@example.com');
    expect(await sealedStore.claimContactIdentity('phone', wang.phone!, wang.contactId)).toBe('s1');
    await sealedStore.putContact(wang);
    await sealedStore.putInvitations([invitation('tok-s1', { name: wang.name, phone: wang.phone }, 's1'), invitation('tok-inline', { name: '赵六', phone: '+8613800000812', email: 'zhao6@example.com' })]);
    expect(await sealedStore.setOptOut('sms', '+8613800000813', true, '2026-11-10T03:00:00.000Z')).toBe(true);
    await sealedStore.putSmsReplyTarget('+8613800000811', '2026-11-10T03:00:00.000Z', { invitationId: 'inv-tok-s1', token: 'tok-s1' }, 2_000_000_000);
    expect(await sealedStore.claimHelpReply('+8613800000811', '2026-11-10')).toBe(true);

    const dump = JSON.stringify(await rawItems());
    for (const secret of ['13800000811', '13800000812', '13800000813', '王大明', '赵六', 'wang.dm@', 'zhao6@']) expect(dump).not.toContain(secret);

    expect(await sealedStore.getContact('s1')).toMatchObject({ name: '王大明', phone: '+8613800000811', email: 'wang.dm@example.com' });
    expect(await sealedStore.contactIdByIdentity('phone', '+8613800000811')).toBe('s1');
    expect((await sealedStore.getInvitationByToken('tok-inline'))?.contact).toEqual({ name: '赵六', phone: '+8613800000812', email: 'zhao6@example.com' });
    expect((await sealedStore.listContactsOfUnit('n1')).find((c) => c.contactId === 's1')?.phone).toBe('+8613800000811');
    expect(await sealedStore.isOptedOut('sms', '+8613800000813')).toBe(true);
    expect(await sealedStore.isOptedOut('sms', '+8613800000811')).toBe(false);
    expect(await sealedStore.latestSmsReplyTarget('+8613800000811')).toEqual({ invitationId: 'inv-tok-s1', token: 'tok-s1' });
    expect(await sealedStore.claimHelpReply('+8613800000811', '2026-11-10')).toBe(false);
    expect(await sealedStore.contactIdsOfPerson('email', 'wang.dm@example.com')).toEqual(['s1']);
    expect(await sealedStore.invitationTokensOfPerson('phone', '+8613800000812')).toEqual(['tok-inline']);
  });

  it('a function without the key sees sealed values sealed and cannot write personal data', async () => {
    const keyless = storeWith('keyless');
    const snapshot = (await keyless.getInvitationByToken('tok-inline'))?.contact;
    expect(snapshot?.phone).toMatch(/^enc1:/);
    await expect(keyless.putContact(contact('x1', '+8613800000819', '某人'))).rejects.toThrow(/kms client/);
    // Encryption off cannot read it at all, rather than sending an SMS to a ciphertext.
    await expect(storeWith('clear').getContact('s1')).rejects.toThrow(/MANYI_FIELD_ENCRYPTION=on/);
  });

  it('still finds what was written in clear before, and the sealing pass seals it and moves its keys', async () => {
    const clear = storeWith('clear');
    // Written before encryption was turned on.
    const li = contact('old1', '+8613800000821', '李老四', 'li4@example.com');
    expect(await clear.claimContactIdentity('phone', li.phone!, li.contactId)).toBe('old1');
    await clear.putContact(li);
    await clear.putInvitations([invitation('tok-old', { name: '钱七', phone: '+8613800000822' })]);
    expect(await clear.setOptOut('sms', '+8613800000823', true, '2026-11-01T03:00:00.000Z')).toBe(true);
    await clear.putSmsReplyTarget('+8613800000821', '2026-11-01T03:00:00.000Z', { invitationId: 'inv-old', token: 'tok-old' }, 2_000_000_000);

    // Found in clear by the sealed store.
    expect(await sealedStore.getContact('old1')).toMatchObject({ phone: '+8613800000821', name: '李老四' });
    expect(await sealedStore.claimContactIdentity('phone', '+8613800000821', 'someone-else')).toBe('old1');
    expect(await sealedStore.contactIdByIdentity('phone', '+8613800000821')).toBe('old1');
    expect(await sealedStore.isOptedOut('sms', '+8613800000823')).toBe(true);
    expect(await sealedStore.contactIdsOfPerson('email', 'li4@example.com')).toEqual(['old1']);
    expect(await sealedStore.invitationTokensOfPerson('phone', '+8613800000822')).toEqual(['tok-old']);
    expect(await sealedStore.latestSmsReplyTarget('+8613800000821')).toEqual({ invitationId: 'inv-old', token: 'tok-old' });

    // An opt-in of a number opted out in clear is conditional on that state, and moves it.
    expect(await sealedStore.setOptOut('sms', '+8613800000823', false, '2026-11-11T03:00:00.000Z')).toBe(true);
    expect(await sealedStore.setOptOut('sms', '+8613800000823', false, '2026-11-11T03:00:00.000Z')).toBe(false);
    expect(await sealedStore.isOptedOut('sms', '+8613800000823')).toBe(false);
    expect(await sealedStore.setOptOut('sms', '+8613800000823', true, '2026-11-12T03:00:00.000Z')).toBe(true);

    // The sealing pass, page by page (small pages, so the cursor is used).
    let cursor: string | undefined;
    const totals = { sealed: 0, moved: 0 };
    do {
      const page = await sealedStore.sealClearFieldsPage(cursor, 3);
      totals.sealed += page.sealed;
      totals.moved += page.moved;
      cursor = page.cursor;
    } while (cursor);
    // The contact and the inline snapshot; the claim, the contact's two person refs, the inline
    // invitation's, the reply target (the opt-out moved when it was changed).
    expect(totals).toEqual({ sealed: 2, moved: 5 });
    const dump = JSON.stringify(await rawItems());
    for (const secret of ['13800000821', '13800000822', '13800000823', '李老四', '钱七', 'li4@']) expect(dump).not.toContain(secret);
    // A second pass finds nothing to do.
    const again = await sealedStore.sealClearFieldsPage(undefined, 1000);
    expect([again.sealed, again.moved, again.cursor]).toEqual([0, 0, undefined]);
    await sealedStore.markFieldsSealed('2026-11-12T04:00:00.000Z');
    expect(await sealedStore.fieldsSealedAt()).toBe('2026-11-12T04:00:00.000Z');

    // Everything is found where the pass put it, by a container started after the mark.
    const fresh = storeWith(kmsFieldKey(KEY_ID, tableName, kms.client()));
    const commands: string[] = [];
    fresh.client.middlewareStack.add((next, context) => async (args) => (commands.push(String(context.commandName)), next(args)), { step: 'initialize', name: 'countCommands' });
    expect(await fresh.getContact('old1')).toMatchObject({ phone: '+8613800000821', name: '李老四', email: 'li4@example.com' });
    expect(await fresh.contactIdByIdentity('phone', '+8613800000821')).toBe('old1');
    expect(await fresh.isOptedOut('sms', '+8613800000823')).toBe(true);
    expect(await fresh.invitationTokensOfPerson('phone', '+8613800000822')).toEqual(['tok-old']);
    expect((await fresh.getInvitationByToken('tok-old'))?.contact).toEqual({ name: '钱七', phone: '+8613800000822' });
    expect(await fresh.latestSmsReplyTarget('+8613800000821')).toEqual({ invitationId: 'inv-old', token: 'tok-old' });
    // After the mark a lookup reads the hashed key only: a number never opted out costs one read.
    commands.length = 0;
    expect(await fresh.isOptedOut('sms', '+8613800000899')).toBe(false);
    expect(commands).toEqual(['GetItemCommand']);
  });
});
