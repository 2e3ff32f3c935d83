/**
 * `npx manyi users bootstrap`, the first admin of a deployed stack, run as an operator would with
 * the SDK's own endpoints pointed at stand-ins: the table is dynalite (a real DynamoDB API), the
 * user pool a local HTTP server that records the Cognito requests in the shape the SDK sends them.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClientConfig, startEmbeddedDynamo, type EmbeddedDynamo } from '../../functions/local/embedded-dynamo';
import { connectStore, type DynamoStore } from '../../functions/store/dynamo-store';
import { manyiWithEnv } from '../helpers/cli';

const TABLE = 'bootstrap-test';
const POOL = 'ap-east-1_Bootstrap1';

let dynamo: EmbeddedDynamo;
let store: DynamoStore;
let cognito: Server;
const cognitoRequests: { operation: string; input: Record<string, unknown> }[] = [];
/** Operations the stand-in refuses once, as Cognito would (error type per operation). */
const refuseOnce = new Map<string, string>();
let env: Record<string, string>;

beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
  store = connectStore(TABLE, localClientConfig(dynamo.endpoint));
  await store.ensureTable();
  cognito = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const operation = String(request.headers['x-amz-target']).replace('AWSCognitoIdentityProviderService.', '');
      cognitoRequests.push({ operation, input: JSON.parse(body) });
      const refusal = refuseOnce.get(operation);
      refuseOnce.delete(operation);
      response.writeHead(refusal ? 400 : 200, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify(refusal ? { __type: refusal, message: `refused: ${refusal}` } : {}));
    });
  });
  await new Promise<void>((resolve) => cognito.listen(0, '127.0.0.1', resolve));
  env = {
    AWS_REGION: 'ap-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: `http://127.0.0.1:${(cognito.address() as AddressInfo).port}`,
    AWS_MAX_ATTEMPTS: '1',
  };
}, 60_000);
afterAll(async () => {
  store?.client.destroy();
  await dynamo?.close();
  await new Promise((resolve) => cognito?.close(resolve));
});

const bootstrap = (...extra: string[]) => manyiWithEnv(env, 'users', 'bootstrap', '--table', TABLE, '--user-pool', POOL, '--email', 'Wang.Fang@example.com', '--unit', 'hq', ...extra);

describe('manyi users bootstrap', () => {
  it('refuses a unit the tree lacks unless --unit-name creates it, writing nothing', async () => {
    const run = await bootstrap();
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^manyi users bootstrap: the organisation has no unit "hq": give --unit-name/);
    expect(await store.getUserByEmail('wang.fang@example.com')).toBeUndefined();
    expect(cognitoRequests).toEqual([]);
  });

  it('creates the top unit, the admin record, its Cognito sign-in in the admin group, and an audit record', async () => {
    const run = await bootstrap('--unit-name', '总行', '--pii');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('org unit hq (总行) created');
    const user = await store.getUserByEmail('wang.fang@example.com');
    expect(user).toMatchObject({ role: 'admin', orgUnits: ['hq'], pii: true, disabled: false, createdBy: 'bootstrap', name: 'Wang.Fang' });
    expect(run.stdout).toContain(`admin ${user!.userId} (Wang.Fang@example.com, scope hq)`);
    expect(await store.listOrgUnits()).toEqual([expect.objectContaining({ id: 'hq', name: '总行' })]);
    expect(cognitoRequests).toEqual([
      {
        operation: 'AdminCreateUser',
        input: expect.objectContaining({ UserPoolId: POOL, Username: user!.userId, DesiredDeliveryMediums: ['EMAIL'], UserAttributes: expect.arrayContaining([{ Name: 'email', Value: 'wang.fang@example.com' }]) }),
      },
      { operation: 'AdminAddUserToGroup', input: { UserPoolId: POOL, Username: user!.userId, GroupName: 'admin' } },
    ]);
    const today = new Date().toISOString().slice(0, 10);
    const records = await store.listAudit([today], Math.floor(Date.now() / 1000));
    const entry = records.find((record) => record.action === 'CLI users bootstrap');
    expect(entry).toMatchObject({ userId: 'bootstrap', role: 'admin', orgUnit: 'hq', status: 201, outcome: 'succeeded', targetIds: [user!.userId, 'hq'] });
    expect(JSON.stringify(entry)).not.toMatch(/wang|fang/i);
  });

  it('finishes, at the next run, a run the pool failed after the record was written, without a second user', async () => {
    cognitoRequests.length = 0;
    refuseOnce.set('AdminCreateUser', 'InternalErrorException');
    const failed = await bootstrap('--email', 'li.lei@example.com');
    expect(failed.code).toBe(1);
    const stored = await store.getUserByEmail('li.lei@example.com');
    expect(stored).toMatchObject({ role: 'admin', createdBy: 'bootstrap' });

    cognitoRequests.length = 0;
    refuseOnce.set('AdminGetUser', 'UserNotFoundException');
    const again = await bootstrap('--email', 'li.lei@example.com');
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(cognitoRequests.map((request) => request.operation)).toEqual(['AdminGetUser', 'AdminCreateUser', 'AdminAddUserToGroup']);
    expect(cognitoRequests.every((request) => request.input.Username === stored!.userId)).toBe(true);
    expect((await store.listUsers()).filter((other) => other.email === 'li.lei@example.com')).toHaveLength(1);
  });

  it('refuses to repeat a finished bootstrap (the user and its sign-in exist): 409, nothing created', async () => {
    cognitoRequests.length = 0;
    const run = await bootstrap();
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/exists already/);
    expect(run.stderr).not.toContain('wang.fang@example.com');
    expect(cognitoRequests.map((request) => request.operation)).toEqual(['AdminGetUser']);
  });

  it('says what is missing in one line', async () => {
    const run = await manyiWithEnv(env, 'users', 'bootstrap', '--table', TABLE, '--email', 'a@example.com', '--unit', 'hq');
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/--user-pool is required/);
  });
});
