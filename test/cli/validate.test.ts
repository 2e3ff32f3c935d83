import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { manyi } from '../helpers/cli';

describe('npx manyi validate', () => {
  it('prints ok per valid file and exits 0 for the shipped questionnaires', async () => {
    const run = await manyi('validate', 'surveys/bank-branch-csi.yaml', 'surveys/gas-repair-return-visit.yaml', 'surveys/insurance-agency-service.yaml');
    expect(run.code, run.stderr).toBe(0);
    const okLines = run.stdout.split('\n').filter((l) => / ok$/.test(l));
    expect(okLines).toEqual(['surveys/bank-branch-csi.yaml: ok', 'surveys/gas-repair-return-visit.yaml: ok', 'surveys/insurance-agency-service.yaml: ok']);
    expect(run.stdout).toContain('surveys/gas-repair-return-visit.yaml: warning: questions:');
  });

  it('exits 1 with one line per error, each starting with the file name and the path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'manyi-validate-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      `id: bad
version: 1
title: { en: Bad }
languages: [en]
scales: { s: { type: rating, min: 1, max: 5 } }
index:
  id: csi
  title: { en: Index }
  elements:
    - { id: a, title: { en: A }, weight: 0.6, indicators: [{ id: i1, title: { en: I1 }, questions: [q1] }] }
    - { id: b, title: { en: B }, weight: 0.3, indicators: [{ id: i2, title: { en: I2 }, questions: [q2] }] }
questions:
  - { id: q1, type: rating, scale: s, text: { en: One } }
`,
    );
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'id: [unclosed\n');
    const run = await manyi('validate', bad, broken, 'surveys/bank-branch-csi.yaml');
    expect(run.code).toBe(1);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toContain(`${bad}: index.elements[1].weight: sibling weights sum to 0.9, expected 1`);
    expect(lines).toContain(`${bad}: index.elements[1].indicators[0].questions[0]: unknown question "q2"`);
    expect(lines.filter((l) => l.startsWith(`${broken}: line `)).length).toBeGreaterThan(0);
    expect(lines).toContain('surveys/bank-branch-csi.yaml: ok');
  });

  it('reports a missing file as an error', async () => {
    const run = await manyi('validate', 'surveys/none.yaml');
    expect(run.code).toBe(1);
    expect(run.stdout.trim()).toBe('surveys/none.yaml: (file): file not found');
  });
});
