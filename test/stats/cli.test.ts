import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { manyi } from '../helpers/cli';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));



// Each run starts node + tsx (about a second), so the runs go in parallel.
describe.concurrent('manyi weights and manyi drivers', () => {
  it('weights ahp --json prints the contract fields', async () => {
    const run = await manyi('weights', 'ahp', '--matrix', '[[1, 3, "5"], ["1/3", 1, 3], ["1/5", "1/3", 1]]', '--json');
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const output = JSON.parse(run.stdout);
    expect(Object.keys(output)).toEqual(['weights', 'lambdaMax', 'ci', 'ri', 'cr', 'consistent', 'worst']);
    // The textbook example (see ahp.test.ts): 0.6370, 0.2583, 0.1047, lambda_max 3.0385, CR 0.0332.
    expect(output.weights[0]).toBeCloseTo(0.637, 4);
    expect(output.lambdaMax).toBeCloseTo(3.0385, 4);
    expect(output.ri).toBe(0.58);
    expect(output.cr).toBeCloseTo(0.0332, 4);
    expect(output.consistent).toBe(true);
    expect(output.worst).toEqual({ row: 0, col: 1 });
  });

  it('weights ahp reports an inconsistent matrix as a result, not an error', async () => {
    const run = await manyi('weights', 'ahp', '--matrix', '[[1, 3, "1/3"], ["1/3", 1, 3], [3, "1/3", 1]]', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ consistent: false });
  });

  it('weights ahp names the bad cell on one line and exits 1', async () => {
    const run = await manyi('weights', 'ahp', '--matrix', '[[1, 3], ["1/2", 1]]', '--json');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('manyi weights ahp: matrix[1][0] = "1/2" is not the reciprocal of matrix[0][1] = 3 (expected 0.333333)\n');
  });

  it('weights ahp rejects a matrix that is not JSON', async () => {
    const run = await manyi('weights', 'ahp', '--matrix', '[[1, 3],', '--json');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^manyi weights ahp: --matrix is not valid JSON \(.*\)\n$/);
  });

  it('weights entropy --json matches the hand computation and warns about the constant column', async () => {
    const run = await manyi('weights', 'entropy', '--data', fixture('entropy.csv'), '--columns', 'a,b,c', '--json');
    expect(run.code).toBe(0);
    const output = JSON.parse(run.stdout);
    expect(Object.keys(output)).toEqual(['weights', 'entropy']);
    // Complete rows (1,3), (2,1), (4,2): the example of entropy.test.ts.
    expect(output.weights.a).toBeCloseTo(0.53715, 5);
    expect(output.weights.b).toBeCloseTo(0.46285, 5);
    expect(output.weights.c).toBe(0);
    expect(output.entropy.c).toBe(1);
    expect(run.stderr).toContain('manyi weights entropy: warning: 1 row(s) with a missing value were left out');
    expect(run.stderr).toContain('manyi weights entropy: warning: column "c" is constant');
  });

  it('weights entropy names a missing column', async () => {
    const run = await manyi('weights', 'entropy', '--data', fixture('entropy.csv'), '--columns', 'a,z', '--json');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('manyi weights entropy: column "z" is not in the data (columns: a, b, c)\n');
  });

  it('drivers --json reproduces the published rwa example', async () => {
    const run = await manyi('drivers', '--data', fixture('mtcars.csv'), '--target', 'mpg', '--columns', 'cyl,disp,hp,gear', '--json');
    expect(run.code).toBe(0);
    const output = JSON.parse(run.stdout);
    expect(Object.keys(output)).toEqual(['r2', 'correlations', 'beta', 'relativeWeights', 'rescaled']);
    // rwa README (see drivers.test.ts): R2 0.7791896, raw weights 0.2284797 ... 0.0963886.
    expect(output.r2).toBeCloseTo(0.7791896, 7);
    expect(output.relativeWeights.hp).toBeCloseTo(0.2321744, 7);
    expect(output.rescaled.gear).toBeCloseTo(0.1237037, 7);
    expect(output.correlations.cyl).toBeCloseTo(-0.852162, 6);
  });

  it('drivers names a cell that is not a number', async () => {
    const run = await manyi('drivers', '--data', fixture('mtcars.csv'), '--target', 'mpg', '--columns', 'cyl,car', '--json');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('manyi drivers: column "car", data row 1: "Mazda RX4" is not a number\n');
  });

  it('drivers requires the target', async () => {
    const run = await manyi('drivers', '--data', fixture('mtcars.csv'), '--columns', 'cyl', '--json');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('manyi drivers: --target is required (the target column)\n');
  });
});
