/**
 * The embedded dynalite on its unix socket (functions/local/embedded-dynamo.ts): the socket and
 * its directory readable by this user only, a client reaching the table through it, a socket a
 * killed process left behind replaced, a live one refused, and a path too long for sun_path moved
 * to a private temporary directory that close() removes.
 */
import { existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_SOCKET_PATH_BYTES, SOCKET_NAME, startEmbeddedDynamo } from '../../functions/local/embedded-dynamo';
import { connectStore } from '../../functions/store/dynamo-store';

const privateDir = () => mkdtempSync(join(tmpdir(), 'manyi-sock-'));

describe('the embedded DynamoDB on a unix socket', () => {
  it('serves the store through a 0600 socket in a 0700 directory, and removes the socket at close', async () => {
    const dir = join(privateDir(), 'data');
    const dynamo = await startEmbeddedDynamo({ listen: { socketDir: dir } });
    try {
      expect(dynamo.socketPath).toBe(join(dir, SOCKET_NAME));
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(statSync(dynamo.socketPath as string).mode & 0o777).toBe(0o600);
      const store = connectStore('socket-test', dynamo.clientConfig);
      try {
        await store.ensureTable();
        await store.putOrgUnits([{ id: 'hq', name: 'HQ' }]);
        expect((await store.listOrgUnits()).map((unit) => unit.id)).toEqual(['hq']);
      } finally {
        store.client.destroy();
      }
    } finally {
      await dynamo.close();
    }
    expect(existsSync(join(dir, SOCKET_NAME))).toBe(false);
  });

  it('replaces a socket file a killed process left, and refuses to share a live one', async () => {
    const dir = privateDir();
    writeFileSync(join(dir, SOCKET_NAME), ''); // what kill -9 leaves: a path nobody answers on
    const first = await startEmbeddedDynamo({ listen: { socketDir: dir } });
    try {
      expect(statSync(first.socketPath as string).isSocket()).toBe(true);
      await expect(startEmbeddedDynamo({ listen: { socketDir: dir } })).rejects.toThrow(/another process serves this data directory's DynamoDB/);
    } finally {
      await first.close();
    }
  });

  it('moves a socket whose path would pass sun_path to a private temporary directory', async () => {
    const deep = join(privateDir(), 'x'.repeat(MAX_SOCKET_PATH_BYTES));
    mkdirSync(deep, { recursive: true });
    const dynamo = await startEmbeddedDynamo({ listen: { socketDir: deep } });
    const socketPath = dynamo.socketPath as string;
    try {
      expect(socketPath.startsWith(join(tmpdir(), 'manyi-'))).toBe(true);
      expect(Buffer.byteLength(socketPath)).toBeLessThanOrEqual(MAX_SOCKET_PATH_BYTES);
      expect(statSync(join(socketPath, '..')).mode & 0o777).toBe(0o700);
    } finally {
      await dynamo.close();
    }
    expect(existsSync(join(socketPath, '..'))).toBe(false);
  });
});
