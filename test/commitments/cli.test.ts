import { describe, expect, it } from 'vitest';
import { manyi } from '../helpers/cli';

const fixture = (name: string) => `test/commitments/fixtures/${name}`;

// Each run starts node + tsx (about a second), so the runs go in parallel.
describe.concurrent('manyi commitments', () => {
  it('--json prints compliance per commitment (the events of commitments.test.ts)', async () => {
    const run = await manyi('commitments', '--commitments', fixture('commitments.yaml'), '--events', fixture('events.csv'), '--now', '2026-03-02T20:00:00+08:00', '--json');
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const { commitments } = JSON.parse(run.stdout);
    expect(Object.keys(commitments[0]).slice(0, 7)).toEqual(['id', 'n', 'met', 'compliance', 'p50', 'p90', 'meanOverrun']);
    expect(commitments[0]).toMatchObject({ id: 'gas.repair.handle', n: 5, met: 3, compliance: 0.6, p50: 5.5, meanOverrun: 4 });
    expect(commitments[0].p90).toBeCloseTo(8.1, 12);
    // Complaints received Friday 13 February 2026, due Friday 27 February 23:59:59: c1 replied on the
    // 27th 18:00 (344 h), c2 on the 28th 09:00 (359 h, 9 h 1 s late), c3 open (68 h 1 s late on 2 March 20:00).
    expect(commitments[1]).toMatchObject({ id: 'insurance.complaint.reply', n: 3, met: 1, p50: 351.5, p90: 357.5, missedOpen: 1 });
    expect(commitments[1].meanOverrun).toBeCloseTo((9 + 68 + 2 / 3600) / 2, 9);
  });

  it('prints one line per commitment without --json', async () => {
    const run = await manyi('commitments', '--commitments', fixture('commitments.yaml'), '--events', fixture('events.csv'), '--now', '2026-03-02T20:00:00+08:00');
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('gas.repair.handle: 3/5 met (60.0%), median 5.5 h, p90 8.1 h, mean overrun 4.0 h; 1 open past deadline, 1 pending, 2 unmeasurable');
  });

  it('refuses a month as a duration', async () => {
    const run = await manyi('commitments', '--commitments', fixture('bad-commitments.yaml'), '--events', fixture('events.csv'));
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'manyi commitments: --commitments "test/commitments/fixtures/bad-commitments.yaml": commitments[0].target: "P1M": years and months have no fixed length; use days (P30D) or a working-day target\n',
    );
  });

  it('names the row and column of a timestamp without an offset', async () => {
    const run = await manyi('commitments', '--commitments', fixture('commitments.yaml'), '--events', fixture('bad-timestamp.csv'));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^manyi commitments: row 1, column "reportedAt": "2026-03-02 08:00" is not an ISO 8601 date and time with an offset/);
  });

  it('reads the shipped commitment files', async () => {
    const run = await manyi('commitments', '--commitments', 'surveys/commitments/gas-supply.yaml', '--events', fixture('events.csv'), '--now', '2026-03-02T20:00:00+08:00', '--json');
    expect(run.code).toBe(0);
    const ids = JSON.parse(run.stdout).commitments.map((c: { id: string }) => c.id);
    expect(ids).toEqual(['gas.pipeline.ordinary', 'gas.pipeline.major', 'gas.repair.handle', 'gas.repair.fix', 'gas.complaint.answer']);
  });

  it('names a bad --now', async () => {
    const run = await manyi('commitments', '--commitments', fixture('commitments.yaml'), '--events', fixture('events.csv'), '--now', 'tomorrow');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('manyi commitments: --now "tomorrow" is not an ISO 8601 date and time with an offset\n');
  });
});
