/**
 * The Cognito user directory's requests as the SDK serialises them (no network: the client's HTTP
 * handler records each request and answers as the service would), so the calls are checked in the
 * shape Cognito receives them: operation, pool, username, attributes, groups.
 */
import { Readable } from 'node:stream';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { CognitoUserDirectory } from '../../functions/channels/cognito-directory';
import { userRecord } from '../helpers/users';

const POOL = 'ap-east-1_Example';

interface SentRequest {
  operation: string;
  input: Record<string, unknown>;
}

/** A client whose requests are recorded; `answer` gives the status and JSON body of each reply. */
function recordingClient(answer: (operation: string) => { status: number; body: object } = () => ({ status: 200, body: {} })) {
  const sent: SentRequest[] = [];
  const client = new CognitoIdentityProviderClient({
    region: 'ap-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: { headers: Record<string, string>; body?: unknown }) => {
        const operation = String(request.headers['x-amz-target']).replace('AWSCognitoIdentityProviderService.', '');
        const body = typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body as Uint8Array);
        sent.push({ operation, input: JSON.parse(body) });
        const reply = answer(operation);
        return {
          // The shape of @smithy/protocol-http's HttpResponse, which the SDK's deserialiser reads.
          response: {
            statusCode: reply.status,
            headers: { 'content-type': 'application/x-amz-json-1.1' },
            body: Readable.from([Buffer.from(JSON.stringify(reply.body))]),
          },
        };
      },
    },
  });
  return { client, sent };
}

const user = userRecord({ userId: 'usr_01', name: '李伟', role: 'analyst', orgUnits: ['north'], createdBy: 'usr_admin' });

describe('CognitoUserDirectory (functions/channels/cognito-directory.ts)', () => {
  it('creates the sign-in under the user id, e-mails the invitation, and puts the user in its role group', async () => {
    const { client, sent } = recordingClient();
    const result = await new CognitoUserDirectory(POOL, client).createSignIn(user);
    expect(result).toEqual({});
    expect(sent).toEqual([
      {
        operation: 'AdminCreateUser',
        input: {
          UserPoolId: POOL,
          Username: 'usr_01',
          UserAttributes: [
            { Name: 'email', Value: 'li.wei@example.com' },
            { Name: 'email_verified', Value: 'true' },
            { Name: 'name', Value: '李伟' },
            { Name: 'locale', Value: 'zh-CN' },
          ],
          DesiredDeliveryMediums: ['EMAIL'],
        },
      },
      { operation: 'AdminAddUserToGroup', input: { UserPoolId: POOL, Username: 'usr_01', GroupName: 'analyst' } },
    ]);
  });

  it('takes an existing username as the sign-in a first attempt created, and still sets the group', async () => {
    const { client, sent } = recordingClient((operation) =>
      operation === 'AdminCreateUser' ? { status: 400, body: { __type: 'UsernameExistsException', message: 'User account already exists' } } : { status: 200, body: {} },
    );
    await expect(new CognitoUserDirectory(POOL, client).createSignIn(user)).resolves.toEqual({});
    expect(sent.map((request) => request.operation)).toEqual(['AdminCreateUser', 'AdminAddUserToGroup']);
  });

  it('passes any other refusal on', async () => {
    const { client } = recordingClient(() => ({ status: 400, body: { __type: 'InvalidParameterException', message: 'bad e-mail' } }));
    await expect(new CognitoUserDirectory(POOL, client).createSignIn(user)).rejects.toThrow(/bad e-mail/);
  });

  it('accepts no chosen password (Cognito makes and sends its own)', () => {
    expect(new CognitoUserDirectory(POOL, recordingClient().client).acceptsChosenPasswords).toBe(false);
  });

  it('tells whether the user has a sign-in (AdminGetUser; a missing user is no sign-in)', async () => {
    const present = recordingClient();
    expect(await new CognitoUserDirectory(POOL, present.client).hasSignIn('usr_01')).toBe(true);
    expect(present.sent).toEqual([{ operation: 'AdminGetUser', input: { UserPoolId: POOL, Username: 'usr_01' } }]);
    const missing = recordingClient(() => ({ status: 400, body: { __type: 'UserNotFoundException', message: 'User does not exist.' } }));
    expect(await new CognitoUserDirectory(POOL, missing.client).hasSignIn('usr_01')).toBe(false);
    const failing = recordingClient(() => ({ status: 500, body: { __type: 'InternalErrorException', message: 'down' } }));
    await expect(new CognitoUserDirectory(POOL, failing.client).hasSignIn('usr_01')).rejects.toThrow(/down/);
  });

  it('moves the user to the new role group, joining before leaving', async () => {
    const { client, sent } = recordingClient();
    await new CognitoUserDirectory(POOL, client).updateSignIn({ ...user, role: 'manager', revision: 2 }, user);
    expect(sent).toEqual([
      { operation: 'AdminAddUserToGroup', input: { UserPoolId: POOL, Username: 'usr_01', GroupName: 'manager' } },
      { operation: 'AdminRemoveUserFromGroup', input: { UserPoolId: POOL, Username: 'usr_01', GroupName: 'analyst' } },
    ]);
  });

  it('disables a disabled user and signs it out everywhere; enables it again', async () => {
    const disabling = recordingClient();
    await new CognitoUserDirectory(POOL, disabling.client).updateSignIn({ ...user, disabled: true }, user);
    expect(disabling.sent).toEqual([
      { operation: 'AdminDisableUser', input: { UserPoolId: POOL, Username: 'usr_01' } },
      { operation: 'AdminUserGlobalSignOut', input: { UserPoolId: POOL, Username: 'usr_01' } },
    ]);
    const enabling = recordingClient();
    await new CognitoUserDirectory(POOL, enabling.client).updateSignIn(user, { ...user, disabled: true });
    expect(enabling.sent).toEqual([{ operation: 'AdminEnableUser', input: { UserPoolId: POOL, Username: 'usr_01' } }]);
  });

  it('calls nothing for a change the pool does not hold (name, scope, pii)', async () => {
    const { client, sent } = recordingClient();
    await new CognitoUserDirectory(POOL, client).updateSignIn({ ...user, name: '王芳', orgUnits: ['south'], pii: true }, user);
    expect(sent).toEqual([]);
  });
});
