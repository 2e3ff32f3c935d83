/**
 * The pre-token-generation trigger against a real DynamoDB API (dynalite), with the V1 event Cognito
 * sends for an ID token: manyi's claims and the role group for a stored user, no token at all for
 * an unknown or disabled one.
 */
import type { PreTokenGenerationTriggerEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRecord } from '../../functions/domain/access/users';
import { createPreTokenGenerationHandler } from '../../functions/jobs/pre-token-generation';
import { localClientConfig, startEmbeddedDynamo, type EmbeddedDynamo } from '../../functions/local/embedded-dynamo';
import { createLogger } from '../../functions/shared/logger';
import { userRecord } from '../helpers/users';
import { connectStore, type DynamoStore } from '../../functions/store/dynamo-store';

let dynamo: EmbeddedDynamo;
let store: DynamoStore;
const logger = createLogger({ logLevel: 'SILENT' });

beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
  store = connectStore('pre-token-test', localClientConfig(dynamo.endpoint));
  await store.ensureTable();
});
afterAll(async () => {
  store?.client.destroy();
  await dynamo?.close();
});

const user = (userId: string, changes: Partial<UserRecord> = {}): UserRecord =>
  userRecord({ userId, email: `${userId}@example.com`, name: 'Zhang San', orgUnits: ['north', 'n1'], pii: true, ...changes });

/** The event as Cognito sends it (V1, TokenGeneration_Authentication), before the trigger's answer. */
const eventFor = (userName: string, groups: string[] = ['admin']): PreTokenGenerationTriggerEvent => ({
  version: '1',
  triggerSource: 'TokenGeneration_Authentication',
  region: 'ap-east-1',
  userPoolId: 'ap-east-1_Example',
  userName,
  callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'client' },
  request: { userAttributes: { sub: 'sub-1', email: `${userName}@example.com` }, groupConfiguration: { groupsToOverride: groups, iamRolesToOverride: [], preferredRole: undefined } },
  response: { claimsOverrideDetails: {} },
});

describe('pre-token-generation trigger (functions/jobs/pre-token-generation.ts)', () => {
  const trigger = () => createPreTokenGenerationHandler({ get store() { return store; }, logger });

  it("adds the stored user's role, scope and pii claims, and makes the role its only group", async () => {
    await store.createUser(user('usr_manager'));
    const answered = await trigger()(eventFor('usr_manager'));
    expect(answered.response.claimsOverrideDetails).toEqual({
      claimsToAddOrOverride: { 'manyi:role': 'manager', 'manyi:orgUnits': 'north n1', 'manyi:pii': 'true' },
      groupOverrideDetails: { groupsToOverride: ['manager'] },
    });
  });

  it('reads the record as it is now: a changed role is in the next token', async () => {
    const first = user('usr_changed', { role: 'analyst', pii: false });
    await store.createUser(first);
    expect((await store.updateUser({ ...first, role: 'executive', revision: 2 }, 1))).toBeTruthy();
    const answered = await trigger()(eventFor('usr_changed', ['analyst']));
    expect(answered.response.claimsOverrideDetails.claimsToAddOrOverride?.['manyi:role']).toBe('executive');
    expect(answered.response.claimsOverrideDetails.groupOverrideDetails).toEqual({ groupsToOverride: ['executive'] });
  });

  it('refuses a token to a user without a record', async () => {
    await expect(trigger()(eventFor('usr_nobody'))).rejects.toThrow(/may not sign in/);
  });

  it('refuses a token to a disabled user', async () => {
    await store.createUser(user('usr_disabled', { disabled: true }));
    await expect(trigger()(eventFor('usr_disabled'))).rejects.toThrow(/may not sign in/);
  });
});
