/**
 * Every relative link of README.md and docs/ resolves: the file exists, and a #fragment names a
 * heading of it (GitHub's anchors: lower case, punctuation dropped, spaces to hyphens).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { httpRoutes } from '../../functions/http/routes';

const root = fileURLToPath(new URL('../../', import.meta.url));
const documents = ['README.md', ...readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

/** GitHub's anchor of a heading. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .replace(/\s/g, '-');

const anchorsOf = (file: string): Set<string> => {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map((match) => anchorOf(match[1]!)));
};

/** The relative links of a Markdown file (code blocks and inline code left out). */
const linksOf = (file: string): string[] => {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!).filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
};

describe('documentation links', () => {
  it('finds the documents and their links', () => {
    expect(documents.length).toBeGreaterThan(5);
    expect(documents.flatMap((doc) => linksOf(join(root, doc))).length).toBeGreaterThan(10);
  });

  it.each(documents)('%s links only to files and headings that exist', (doc) => {
    const file = join(root, doc);
    const broken: string[] = [];
    for (const link of linksOf(file)) {
      const [path = '', fragment] = link.split('#');
      const target = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
      if (!existsSync(target)) {
        broken.push(`${link} (no such file)`);
        continue;
      }
      if (fragment && statSync(target).isFile() && target.endsWith('.md') && !anchorsOf(target).has(fragment)) broken.push(`${link} (no such heading)`);
    }
    expect(broken).toEqual([]);
  });
});

describe('docs/api.md', () => {
  const api = readFileSync(join(root, 'docs/api.md'), 'utf8');
  const routeKeys = Object.values(httpRoutes).flatMap((declaration) => declaration.routes);
  const NUMBER_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty', 'twenty-one', 'twenty-two', 'twenty-three', 'twenty-four', 'twenty-five', 'twenty-six', 'twenty-seven', 'twenty-eight', 'twenty-nine', 'thirty', 'thirty-one', 'thirty-two', 'thirty-three', 'thirty-four', 'thirty-five', 'thirty-six', 'thirty-seven', 'thirty-eight', 'thirty-nine', 'forty', 'forty-one', 'forty-two', 'forty-three', 'forty-four', 'forty-five', 'forty-six', 'forty-seven', 'forty-eight', 'forty-nine', 'fifty', 'fifty-one', 'fifty-two', 'fifty-three', 'fifty-four', 'fifty-five', 'fifty-six', 'fifty-seven', 'fifty-eight', 'fifty-nine', 'sixty'];

  it('names every route key of functions/http/routes.ts', () => {
    expect(routeKeys.filter((key) => !api.includes(`\`${key}\``))).toEqual([]);
  });

  it('gives the number of route keys there are', () => {
    expect(/surface is ([a-z-]+) route keys/.exec(api)?.[1]).toBe(NUMBER_WORDS[routeKeys.length]);
  });
});
