import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `manyi` as a user would (node bin/manyi.js ...) from the repository root; async, so runs can go in parallel. */
export function manyi(...args: string[]): Promise<CliRun> {
  return manyiWithEnv({}, ...args);
}

/** `manyi` with further environment variables (e.g. AWS endpoints pointed at local stand-ins). */
export function manyiWithEnv(env: Record<string, string>, ...args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/manyi.js', ...args], { cwd: repositoryRoot, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}
