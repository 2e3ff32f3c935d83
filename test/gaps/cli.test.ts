import { describe, expect, it } from 'vitest';
import { manyi } from '../helpers/cli';

const fixture = (name: string) => `test/gaps/fixtures/${name}`;

// Each run starts node + tsx (about a second), so the runs go in parallel.
describe.concurrent('manyi gap', () => {
  it('--json prints the contract structure with the hand-computed figures of gaps.test.ts', async () => {
    const run = await manyi('gap', '--survey', fixture('mini-servqual.yaml'), '--data', fixture('mini-servqual.csv'), '--json');
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('manyi gap: warning: column(s) "respondent" are not questions of "mini-servqual" and were ignored\n');
    const output = JSON.parse(run.stdout);
    expect(Object.keys(output).slice(0, 6)).toEqual(['items', 'dimensions', 'overall', 'states', 'tolerance', 'ipa']);
    expect(Object.keys(output.items[0])).toEqual(['id', 'dimension', 'E', 'P', 'gap', 'n', 't', 'p', 'ci95']);
    expect(output.items[0]).toMatchObject({ id: 'r1', dimension: 'rel', E: 6.25, P: 5.25, gap: -1, n: 4 });
    expect(output.items[0].t).toBeCloseTo(-1.0954451150103324, 10);
    expect(output.items[0].p).toBeCloseTo(0.35338746628869777, 9);
    expect(Object.keys(output.dimensions[0])).toEqual(['id', 'E', 'P', 'gap', 'weight']);
    expect(output.dimensions[0]).toMatchObject({ id: 'rel', E: 6.125, P: 5.125, gap: -1 });
    expect(output.dimensions[0].weight).toBeCloseTo(0.6, 12);
    expect(output.overall.unweighted).toBeCloseTo(-1 / 6, 12);
    expect(output.overall.weighted).toBeCloseTo(-0.925, 12);
    expect(output.states).toMatchObject({ highlySatisfied: 1 / 3, basicallySatisfied: 1 / 3, dissatisfied: 1 / 3 });
    expect(output.tolerance.items[0]).toMatchObject({ id: 'r1', adequate: 4, mss: -1 });
    expect(output.ipa.map((i: { quadrant: string }) => i.quadrant)).toEqual(['concentrate here', 'concentrate here', 'possible overkill']);
    // The audience column makes M1 and M2 managers: gap 1.
    expect(output.gap1[0]).toMatchObject({ id: 'r1', management: 5.5, customers: 6.25, gap1: -0.75 });
    expect(output.benchmarks[0]).toMatchObject({ id: 'rel', toTarget: -0.5 });
  });

  it('prints a readable summary without --json', async () => {
    const run = await manyi('gap', '--survey', fixture('mini-servqual.yaml'), '--data', fixture('mini-servqual.csv'));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('r1 (rel): E 6.25, P 5.25, gap -1.00, n 4, t -1.095, p 0.3534');
    expect(run.stdout).toContain('overall: unweighted -0.167, weighted -0.925 (allocation)');
  });

  it('refuses an allocation whose points do not add up to 100', async () => {
    const run = await manyi('gap', '--survey', fixture('mini-servqual.yaml'), '--data', fixture('bad-allocation.csv'), '--json');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('manyi gap: row 1: the points of "imp" add up to 90, expected 100\n');
  });

  it('names the row and column of an answer off the scale', async () => {
    const run = await manyi('gap', '--survey', fixture('mini-servqual.yaml'), '--data', fixture('bad-rating.csv'));
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('manyi gap: row 1, column "r1p": "8" is not a whole number from 1 to 7\n');
  });

  it('needs a questionnaire with a gap model', async () => {
    const run = await manyi('gap', '--survey', 'surveys/bank-branch-csi.yaml', '--data', fixture('bad-rating.csv'));
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('manyi gap: --survey "surveys/bank-branch-csi.yaml": the questionnaire declares no gap model (gaps:)\n');
  });

  it('names a missing option', async () => {
    const run = await manyi('gap', '--data', fixture('mini-servqual.csv'));
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('manyi gap: --survey is required (a questionnaire YAML file)\n');
  });
});
