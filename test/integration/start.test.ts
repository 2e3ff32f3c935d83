/**
 * `npm start` as a user runs it: a child process on a free port, Ctrl-C (SIGINT) stops it
 * cleanly, a restart keeps the data, and --demo seeds and computes a report.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = new URL('../..', import.meta.url).pathname;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function start(dataDir: string, port: number, args: string[] = []): { child: ChildProcessWithoutNullStreams; output: () => string; ready: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'functions/local/start.ts', ...args], {
    cwd: repo,
    env: { ...process.env, PORT: String(port), MANYI_DATA_DIR: dataDir, MANYI_COMPUTE_EVERY: '0' },
  });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Press Ctrl-C to stop.')) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
  });
  return { child, output: () => output, ready };
}

/** The TCP ports a process listens on: its sockets' inodes found among the kernel's listeners (state 0A). */
function listeningTcpPorts(pid: number): number[] {
  const inodes = new Set(
    readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
      try {
        return [/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1] ?? []].flat();
      } catch {
        return []; // closed meanwhile
      }
    }),
  );
  const ports = ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((table) =>
    existsSync(table)
      ? readFileSync(table, 'utf8')
          .split('\n')
          .slice(1)
          .map((line) => line.trim().split(/\s+/))
          .filter((fields) => fields[3] === '0A' && inodes.has(fields[9] ?? ''))
          .map((fields) => Number.parseInt((fields[1] ?? '').split(':')[1] ?? '', 16))
      : [],
  );
  return [...new Set(ports)].sort((a, b) => a - b);
}

async function stop(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  return exited;
}

describe('npm start', () => {
  it('serves, stops cleanly on Ctrl-C, and keeps the data across restarts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'manyi-start-'));
    const port = await freePort();
    const first = start(dataDir, port, ['--demo']);
    await first.ready;
    expect(first.output()).toMatch(/bank-branch-csi v\d+ published/);
    expect(first.output()).toMatch(/Demo: \d+ responses over/);
    const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    // Printed once; the other lines read it from its file.
    expect(first.output().split(token).length - 1).toBe(1);
    // Readable by this user only: files 0600, directories 0700, the database's included.
    const modes = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const path = join(dir, entry.name);
        const mode = statSync(path).mode & 0o777;
        return [...(mode & 0o077 ? [`${path} ${mode.toString(8)}`] : []), ...(entry.isDirectory() ? modes(path) : [])];
      });
    expect(statSync(dataDir).mode & 0o077).toBe(0);
    expect(modes(dataDir)).toEqual([]);
    // The table is served on a socket in the data directory, and the process listens on no TCP
    // port but the API's (Linux: its socket inodes against the kernel's table of listeners).
    const socket = join(dataDir, 'dynamodb.sock');
    expect(statSync(socket).isSocket()).toBe(true);
    expect(statSync(socket).mode & 0o777).toBe(0o600);
    expect(first.output()).toContain(`DynamoDB     unix socket ${socket}`);
    if (process.platform === 'linux') expect(listeningTcpPorts(first.child.pid as number)).toEqual([port]);

    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(await health.json()).toEqual({ ok: true });
    const report = await fetch(`http://127.0.0.1:${port}/admin/reports/bank-branch-csi?orgUnit=hq`, { headers: { authorization: `Bearer ${token}` } });
    expect(report.status).toBe(200);
    const body = (await report.json()) as { n: number; csi: number; children: unknown[] };
    expect(body.n).toBeGreaterThan(50);
    expect(body.csi).toBeGreaterThan(0);
    expect(body.children).toHaveLength(2);

    expect(await stop(first.child)).toBe(0);
    expect(first.output()).toContain('stopped; data kept');
    expect(existsSync(socket)).toBe(false);

    const second = start(dataDir, port, ['--demo']);
    await second.ready;
    expect(second.output()).toMatch(/bank-branch-csi v\d+ unchanged/);
    expect(second.output()).toContain('Demo data was seeded before');
    const again = await fetch(`http://127.0.0.1:${port}/admin/reports/bank-branch-csi?orgUnit=hq`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await again.json()) as { n: number }).n).toBe(body.n);
    expect(await stop(second.child)).toBe(0);
  }, 120_000);
});
