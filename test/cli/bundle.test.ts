/**
 * `manyi` runs from a bundle in node_modules/.cache/manyi/, rebuilt when one of its sources is
 * newer than it; a stale bundle would run yesterday's code.
 */
import { statSync, utimesSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { manyi } from '../helpers/cli';

const bundle = fileURLToPath(new URL('../../node_modules/.cache/manyi/cli.mjs', import.meta.url));
const source = fileURLToPath(new URL('../../functions/cli/commands/validate.ts', import.meta.url));

describe('the CLI bundle', () => {
  it('is built on first use and rebuilt when a source changes', async () => {
    expect((await manyi('--help')).code).toBe(0);
    const built = statSync(bundle).mtimeMs;
    expect((await manyi('--help')).code).toBe(0);
    expect(statSync(bundle).mtimeMs).toBe(built); // fresh: not rebuilt

    const { atime, mtime } = statSync(source);
    try {
      const later = new Date(built + 5_000);
      utimesSync(source, later, later);
      const run = await manyi('validate', 'surveys/bank-branch-csi.yaml');
      expect(run.code, run.stderr).toBe(0);
      expect(statSync(bundle).mtimeMs).toBeGreaterThan(built);
    } finally {
      utimesSync(source, atime, mtime);
    }
  });
});
