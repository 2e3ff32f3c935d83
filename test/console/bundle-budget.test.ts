/**
 * The console's JavaScript budget: the build the local runtime serves, measured as a browser
 * receives it (gzip). The first screen (the entry and the chunks it imports statically) stays at
 * or under 150 KB; what only one action needs (YAML, the publish diff) is a separate chunk.
 */
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildConsole, type ConsoleBuild } from '../../console/build';

const BUDGET_BYTES = 150 * 1024;
let built: ConsoleBuild;

const gzipped = (name: string) => gzipSync(built.files.get(name)!.body, { level: 9 }).length;
const text = (name: string) => new TextDecoder().decode(built.files.get(name)!.body);

describe('the console bundle', () => {
  beforeAll(async () => {
    built = await buildConsole();
  }, 60_000);

  it('loads at most 150 KB gzip of JavaScript on the first screen', () => {
    const total = built.firstScreen.reduce((sum, name) => sum + gzipped(name), 0);
    console.log(`console first screen: ${built.firstScreen.join(', ')} = ${(total / 1024).toFixed(1)} KB gzip`);
    expect(built.firstScreen.every((name) => name.endsWith('.js'))).toBe(true);
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('leaves YAML and the diff out of the first screen', () => {
    const firstScreen = built.firstScreen.map(text).join('\n');
    const lazy = [...built.files.keys()].filter((name) => name.endsWith('.js') && !built.firstScreen.includes(name)).map(text).join('\n');
    // Strings only those libraries hold (their error messages).
    expect(lazy).toContain('Implicit map keys need to be followed by map values');
    expect(firstScreen).not.toContain('Implicit map keys need to be followed by map values');
    expect(lazy).toMatch(/diffLines|oldFileName|newFileName/);
  });

  it('names its script and styles with content hashes', () => {
    expect(built.script).toMatch(/^main-[A-Z0-9]+\.js$/);
    expect(built.styles).toMatch(/^main-[A-Z0-9]+\.css$/);
  });
});
