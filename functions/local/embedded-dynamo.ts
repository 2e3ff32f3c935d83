/**
 * dynalite, in process: a real DynamoDB API. It checks no credentials, so the local platform serves
 * it on a unix socket inside a directory only this user can enter (mode 0700, the socket 0600):
 * another user of the machine can neither list nor connect to it, where a loopback TCP port is
 * open to every local user. With a data directory its tables persist (LevelDB files); without one
 * they live in memory (tests). Loopback TCP remains for tests that start dynalite by itself.
 */
import type { AddressInfo } from 'node:net';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { Agent } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dynalite from 'dynalite';

/** What a DynamoDB client needs to reach the embedded server: plain data, so this module needs no SDK. */
export interface LocalClientConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  maxAttempts: number;
  /** Over a socket: the agent that connects to it (the SDK builds its Node.js handler around it). */
  requestHandler?: { httpAgent: Agent };
}

export interface EmbeddedDynamo {
  /** The URL the client names; over a socket it is http://localhost, which the agent never resolves. */
  endpoint: string;
  /** The unix socket it listens on; undefined on loopback TCP. */
  socketPath: string | undefined;
  /** The client configuration that reaches it (with the socket's agent, over a socket). */
  clientConfig: LocalClientConfig;
  close(): Promise<void>;
}

/** The socket's name in its directory: short, because the whole path must fit in sun_path. */
export const SOCKET_NAME = 'dynamodb.sock';

/**
 * The longest socket path the kernel takes, in bytes: sun_path holds 108 bytes on Linux and 104 on
 * macOS and the BSDs, the terminating NUL included. A longer path fails to bind (or is cut short).
 */
export const MAX_SOCKET_PATH_BYTES = process.platform === 'linux' ? 107 : 103;

export type Listen = { socketDir: string | undefined } | 'tcp';

/**
 * `listen`: `{ socketDir }` serves on `<socketDir>/dynamodb.sock` (the directory is made 0700; a
 * path too long for a socket, or no directory, uses a private temporary directory instead);
 * `'tcp'` (the default) serves on a free loopback port.
 */
export async function startEmbeddedDynamo(options: { dataDir?: string | undefined; listen?: Listen } = {}): Promise<EmbeddedDynamo> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const server = dynalite({ ...(options.dataDir ? { path: options.dataDir } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const listen = options.listen ?? 'tcp';
  if (listen === 'tcp') {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const endpoint = `http://127.0.0.1:${port}`;
    return { endpoint, socketPath: undefined, clientConfig: localClientConfig(endpoint), close: () => closeServer(server) };
  }

  const { socketPath, temporaryDir } = socketLocation(listen.socketDir);
  try {
    await removeStaleSocket(socketPath);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => resolve());
    });
    // The directory (0700) already keeps other users out; the socket's own mode says the same.
    chmodSync(socketPath, 0o600);
  } catch (error) {
    if (temporaryDir) rmSync(temporaryDir, { recursive: true, force: true });
    throw error;
  }
  const agent = socketAgent(socketPath);
  return {
    endpoint: SOCKET_ENDPOINT,
    socketPath,
    clientConfig: { ...localClientConfig(SOCKET_ENDPOINT), requestHandler: { httpAgent: agent } },
    close: async () => {
      agent.destroy();
      await closeServer(server); // removes the socket file
      if (temporaryDir) rmSync(temporaryDir, { recursive: true, force: true });
    },
  };
}

/** The client's URL over a socket: a host name is needed, and the agent never looks it up. */
const SOCKET_ENDPOINT = 'http://localhost';

/** dynalite accepts any credentials; the SDK insists on having some. */
export const localClientConfig = (endpoint: string): LocalClientConfig => ({
  endpoint,
  region: 'local',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  maxAttempts: 3,
});

/** An http.Agent whose every connection is to the socket, whatever host and port a request names. */
function socketAgent(socketPath: string): Agent {
  const agent = new Agent({ keepAlive: true });
  agent.createConnection = () => connect(socketPath);
  return agent;
}

const pathBytes = (path: string) => Buffer.byteLength(path);

/**
 * `<dir>/dynamodb.sock` when it fits in sun_path; otherwise (a deep checkout, or no directory) a
 * new private directory under the system's temporary one (mkdtemp makes it 0700), removed at close.
 */
function socketLocation(dir: string | undefined): { socketPath: string; temporaryDir?: string } {
  if (dir) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    const inDir = join(dir, SOCKET_NAME);
    if (pathBytes(inDir) <= MAX_SOCKET_PATH_BYTES) return { socketPath: inDir };
  }
  const temporaryDir = mkdtempSync(join(tmpdir(), 'manyi-'));
  const socketPath = join(temporaryDir, SOCKET_NAME);
  if (pathBytes(socketPath) > MAX_SOCKET_PATH_BYTES) {
    rmSync(temporaryDir, { recursive: true, force: true });
    throw new Error(
      `the embedded DynamoDB's socket path ${dir ? `${join(dir, SOCKET_NAME)} and ` : ''}${socketPath} ` +
        `pass the ${MAX_SOCKET_PATH_BYTES} bytes a unix socket path may have: set MANYI_DATA_DIR or TMPDIR to a shorter directory`,
    );
  }
  return { socketPath, temporaryDir };
}

/**
 * A socket file left by a process that is gone (kill -9) would make listen fail: remove it. One
 * that still answers belongs to a running platform on the same data directory: refuse to start.
 */
async function removeStaleSocket(socketPath: string): Promise<void> {
  if (!existsSync(socketPath)) return;
  const answers = await new Promise<boolean>((resolve) => {
    const probe = connect(socketPath);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
  if (answers) throw new Error(`another process serves this data directory's DynamoDB (${socketPath} answers): stop it first`);
  unlinkSync(socketPath);
}

function closeServer(server: ReturnType<typeof dynalite>): Promise<void> {
  return new Promise<void>((resolve) => server.close(() => resolve()));
}
