/**
 * The statistics analyses end to end through the local platform (HTTP adapter, dynalite): two months of controlled
 * answers, computed by the job, read back as report JSON and page. Every figure asserted is
 * recomputed here from the answers with the textbook formula, independently of the platform code.
 *
 * Organisation: hq > a (16 responses in November, 12 in October), b (12 / 10), s (4 in November).
 * The minimum n is 10: s is withheld, but its responses count in hq.
 */
process.env.MANYI_MINIMUM_N = '10';
import jStat from 'jstat';
import { Matrix, solve } from 'ml-matrix';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom as seeded } from '../../functions/domain/pls/random';
import { fixture, reportViews, startTestPlatform, type TestPlatform } from '../helpers/platform';

type Answers = Record<string, number>;

let platform: TestPlatform;
const survey = fixture('statistics-csi.yaml');


/**
 * Answers around a unit's level: a respondent's own level drives every answer (so they correlate),
 * each question adds its own noise (so no two are collinear). q3 is reversed; b's respondents
 * sometimes skip q2.
 */
function answersFor(count: number, level: number, random: () => number, skipQ2 = false): Answers[] {
  const clamp = (v: number, min: number, max: number) => Math.min(max, Math.max(min, Math.round(v)));
  return Array.from({ length: count }, (_, i) => {
    const own = level + (random() - 0.5) * 0.5;
    const five = (x: number) => clamp(1 + 4 * (x + (random() - 0.5) * 0.5), 1, 5);
    const answers: Answers = { q1: five(own), q2: five(own + 0.05), q3: clamp(6 - five(own - 0.05), 1, 5), q4: five(own * 0.5 + 0.3), q5: five(own), q6: clamp(10 * (own + (random() - 0.5) * 0.4), 0, 10) };
    if (skipQ2 && i % 4 === 1) delete answers.q2;
    return answers;
  });
}

const random = seeded(5);
const october = { a: answersFor(12, 0.4, random), b: answersFor(10, 0.55, random, true) };
const november = { a: answersFor(16, 0.75, random), b: answersFor(12, 0.5, random, true), s: answersFor(4, 0.3, random) };
const novemberAll = [...november.a, ...november.b, ...november.s];

// ----- independent computations -----
const score = (v: number, min = 1, max = 5, reverse = false) => (reverse ? 100 - (100 * (v - min)) / (max - min) : (100 * (v - min)) / (max - min));
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const variance = (xs: number[]) => xs.reduce((s, x) => s + (x - mean(xs)) ** 2, 0) / (xs.length - 1);
/** Welch: t = (ma - mb) / sqrt(va/na + vb/nb), df = (va/na + vb/nb)^2 / ((va/na)^2/(na-1) + (vb/nb)^2/(nb-1)), p = 2 P(T <= -|t|). */
function welch(a: number[], b: number[]) {
  const va = variance(a) / a.length;
  const vb = variance(b) / b.length;
  const t = (mean(a) - mean(b)) / Math.sqrt(va + vb);
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  return { difference: mean(a) - mean(b), t, df, p: 2 * jStat.studentt.cdf(-Math.abs(t), df) };
}
/** Per-respondent indicator scores: the mean of the answered questions' scores. */
const staff = (r: Answers) => mean([r.q1, r.q2].filter((v): v is number => v !== undefined).map((v) => score(v)));
const speed = (r: Answers) => score(r.q3!, 1, 5, true);
const facilities = (r: Answers) => score(r.q4!);
const recommend = (r: Answers) => score(r.q6!, 0, 10);
const satisfaction = (r: Answers) => score(r.q5!);
/** R2 of y on the columns with an intercept, from the normal equations X'X b = X'y. */
function olsR2(columns: number[][], y: number[]): number {
  const X = new Matrix(y.map((_, i) => [1, ...columns.map((c) => c[i]!)]));
  const Y = Matrix.columnVector(y);
  const b = solve(X.transpose().mmul(X), X.transpose().mmul(Y));
  const fitted = X.mmul(b).getColumn(0);
  const sse = y.reduce((s, v, i) => s + (v - fitted[i]!) ** 2, 0);
  const sst = y.reduce((s, v) => s + (v - mean(y)) ** 2, 0);
  return 1 - sse / sst;
}

async function submit(unitAnswers: Record<string, Answers[]>) {
  const contacts = Object.entries(unitAnswers).flatMap(([orgUnitId, list]) => list.map(() => ({ orgUnitId })));
  const campaign = await platform.api('POST', '/admin/campaigns', { body: { surveyId: 'statistics-csi', channel: 'link', contacts } });
  expect(campaign.status, campaign.text).toBe(201);
  const all = Object.values(unitAnswers).flat();
  for (const [i, invitation] of (campaign.body.invitations as { token: string }[]).entries()) {
    const res = await platform.api('POST', `/s/${invitation.token}`, { token: null, body: { answers: all[i] } });
    expect(res.status, res.text).toBe(201);
  }
}

const report = async (unit: string, period = '2026-11') => {
  const res = await platform.api('GET', `/admin/reports/statistics-csi?period=${period}&orgUnit=${unit}`);
  expect(res.status, res.text).toBe(200);
  return res.body;
};

beforeAll(async () => {
  platform = await startTestPlatform(new Date('2025-11-15T02:00:00Z'));
  expect((await platform.api('POST', '/admin/surveys', { body: survey })).status).toBe(201);
  const units = [{ id: 'hq', name: 'Head office' }, { id: 'a', name: 'Branch A', parentId: 'hq' }, { id: 'b', name: 'Branch B', parentId: 'hq' }, { id: 's', name: 'Small branch', parentId: 'hq' }];
  expect((await platform.api('POST', '/admin/org-units', { body: { units } })).status).toBe(200);
  // A year before November, the same answers as in October: the marks against it equal those against October.
  await submit(october);
  expect((await platform.api('POST', '/admin/jobs/compute-indices', { body: { period: '2025-11' } })).status).toBe(200);
  platform.clock.freeze(new Date('2026-10-15T02:00:00Z'));
  await submit(october);
  platform.clock.freeze(new Date('2026-11-10T02:00:00Z'));
  await submit(november);
  for (const period of ['2026-10', '2026-11']) {
    const job = await platform.api('POST', '/admin/jobs/compute-indices', { body: { period } });
    expect(job.status, job.text).toBe(200);
  }
});
afterAll(async () => {
  await platform?.stop();
});

describe('small samples', () => {
  it('withholds a unit below the minimum n, with the reason, while the parent counts its responses', async () => {
    const small = await report('s');
    expect(small.n).toBe(4);
    expect(small.csi).toBeNull();
    expect(small.withheld.reason).toMatch(/fewer than 10 responses/);
    expect(small.elements.every((e: { score: unknown }) => e.score === null)).toBe(true);
    expect(small.elements[0].indicators[0].questions[0]).toMatchObject({ id: 'q1', score: null, sd: null, ci95: null, n: 4 });
    expect(small.fuzzy).toEqual({ withheld: { reason: small.withheld.reason } });
    expect(small.significance).toBeUndefined();

    const hq = await report('hq');
    expect(hq.n).toBe(32);
    const child = hq.children.find((c: { orgUnit: string }) => c.orgUnit === 's');
    expect(child).toMatchObject({ n: 4, csi: null, withheld: { reason: expect.stringMatching(/fewer than 10/) } });
    expect(hq.children.find((c: { orgUnit: string }) => c.orgUnit === 'a').csi).toEqual(expect.any(Number));
    // hq's q1 includes s's four answers.
    expect(hq.elements[0].indicators[0].questions[0].score).toBeCloseTo(mean(novemberAll.map((r) => score(r.q1!))), 10);
    expect(hq).not.toHaveProperty('sampling'); // internal basis of the marks
  });
});

describe('significance', () => {
  it('marks q1 of unit a against the previous period with Welch\'s t-test', async () => {
    const a = await report('a');
    const expected = welch(november.a.map((r) => score(r.q1!)), october.a.map((r) => score(r.q1!)));
    const mark = a.significance.questions.q1.previous;
    expect(a.significance.previous).toEqual({ period: '2026-10' });
    expect(mark.test).toBe('Welch t-test');
    expect(mark.difference).toBeCloseTo(expected.difference, 10);
    expect(mark.statistic).toBeCloseTo(expected.t, 10);
    expect(mark.df).toBeCloseTo(expected.df, 10);
    expect(mark.p).toBeCloseTo(expected.p, 10);
    expect(expected.p).toBeLessThan(0.05);
    expect(mark).toMatchObject({ significant: true, direction: 'up' });
  });

  it('compares unit a with the rest of its parent (b and s), not with the parent including it', async () => {
    const a = await report('a');
    expect(a.significance.parent).toEqual({ orgUnit: 'hq', rest: 16 });
    const rest = [...november.b, ...november.s];
    const expected = welch(november.a.map((r) => score(r.q5!)), rest.map((r) => score(r.q5!)));
    const mark = a.significance.questions.q5.parent;
    expect(mark.p).toBeCloseTo(expected.p, 9);
    expect(mark.difference).toBeCloseTo(expected.difference, 9);
    // Nodes with one question carry exactly that question's test.
    expect(a.significance.indicators.overall.parent.p).toBeCloseTo(mark.p, 9);
    expect(a.significance.elements.satisfaction.parent.p).toBeCloseTo(mark.p, 9);
  });

  it('tests an aggregate node on its linearised standard error (equal to Welch on per-respondent scores when every question is answered)', async () => {
    const a = await report('a');
    const expected = welch(november.a.map(staff), october.a.map(staff));
    const mark = a.significance.indicators.staff.previous;
    expect(mark.test).toBe('Welch t-test');
    expect(mark.difference).toBeCloseTo(expected.difference, 9);
    expect(mark.p).toBeCloseTo(expected.p, 9);
    expect(a.significance.csi.previous).toMatchObject({ test: 'Welch t-test' });
    expect(a.significance.topBox.q1.previous.test).toBe('two-proportion z-test');
    expect(a.significance.nps.q6.previous.test).toBe('NPS difference z-test');
  });
});

describe('the same month a year earlier, and the CSI interval', () => {
  it('marks every figure against the same month a year earlier with the same tests', async () => {
    const a = await report('a');
    expect(a.significance.yearEarlier).toEqual({ period: '2025-11' });
    // 2025-11 holds October's answers (and October's weights are its own): the same tests, the same figures.
    const expected = welch(november.a.map((r) => score(r.q1!)), october.a.map((r) => score(r.q1!)));
    expect(a.significance.questions.q1.yearEarlier.p).toBeCloseTo(expected.p, 10);
    expect(a.significance.indicators.staff.yearEarlier.p).toBeCloseTo(a.significance.indicators.staff.previous.p, 10);
    expect(a.significance.topBox.q1.yearEarlier).toEqual(a.significance.topBox.q1.previous);
    expect(a.significance.nps.q6.yearEarlier).toEqual(a.significance.nps.q6.previous);
    expect(a.significance.csi.yearEarlier.test).toBe('Welch t-test');
    // The trend holds the year-earlier month from its report.
    expect(a.trend.find((p: { period: string }) => p.period === '2025-11')).toMatchObject({ n: 12 });
  });

  it("gives the CSI's 95% interval: the t interval of the per-respondent CSI when every question is answered", async () => {
    const a = await report('a');
    // Unit a answers every question: the CSI is the mean of each respondent's weighted score.
    const derived = a.drivers.derived.quality.weights;
    const perRespondent = november.a.map((r) => 0.5 * (derived.staff * staff(r) + derived.speed * speed(r) + derived.facilities * facilities(r)) + 0.3 * satisfaction(r) + 0.2 * recommend(r));
    expect(a.csi).toBeCloseTo(mean(perRespondent), 9);
    const half = jStat.studentt.inv(0.975, perRespondent.length - 1) * Math.sqrt(variance(perRespondent) / perRespondent.length);
    expect(a.csiCi95[0]).toBeCloseTo(a.csi - half, 9);
    expect(a.csiCi95[1]).toBeCloseTo(a.csi + half, 9);
    expect(a.trend.at(-1).ci95).toEqual(a.csiCi95);
    // A withheld unit shows no interval.
    expect((await report('s')).csiCi95).toBeUndefined();
  });
});

describe('NPS, top-2-box and fuzzy evaluation', () => {
  it('gives the NPS of the 0-10 question with its standard error and 95% interval', async () => {
    const hq = await report('hq');
    const answers = novemberAll.map((r) => r.q6!);
    const p = answers.filter((v) => v >= 9).length / answers.length;
    const d = answers.filter((v) => v <= 6).length / answers.length;
    const se = 100 * Math.sqrt((p + d - (p - d) ** 2) / answers.length);
    const nps = hq.proportions.questions.q6.nps;
    expect(hq.proportions.npsQuestions).toEqual(['q6']);
    expect(nps.n).toBe(32);
    expect(nps.nps).toBeCloseTo(100 * (p - d), 10);
    expect(nps.standardError).toBeCloseTo(se, 10);
    expect(nps.lower).toBeCloseTo(Math.max(-100, 100 * (p - d) - 1.959963984540054 * se), 8);
    expect(nps.upper).toBeCloseTo(Math.min(100, 100 * (p - d) + 1.959963984540054 * se), 8);
    expect(hq.proportions.questions.q1.nps).toBeNull();
  });

  it('gives top-2-box shares with Wilson intervals (a reversed question counts its two lowest points)', async () => {
    const hq = await report('hq');
    const z = 1.959963984540054;
    const wilson = (x: number, n: number) => {
      const p = x / n;
      const centre = p + (z * z) / (2 * n);
      const half = z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
      return [(centre - half) / (1 + (z * z) / n), (centre + half) / (1 + (z * z) / n)];
    };
    const q3 = novemberAll.map((r) => r.q3!);
    const favourable = q3.filter((v) => v <= 2).length;
    const box = hq.proportions.questions.q3.topBox;
    expect(box).toMatchObject({ successes: favourable, n: 32 });
    const [lower, upper] = wilson(favourable, 32);
    expect(box.lower).toBeCloseTo(lower!, 8);
    expect(box.upper).toBeCloseTo(upper!, 8);
  });

  it('gives every node a membership vector; a question\'s is the share of answers in each grade', async () => {
    const hq = await report('hq');
    const node = hq.fuzzy.nodes.find((n: { id: string; kind: string }) => n.id === 'q4' && n.kind === 'question');
    // 1..5 onto five grades, best first: 5 -> very satisfied ... 1 -> very dissatisfied.
    const shares = [5, 4, 3, 2, 1].map((v) => novemberAll.filter((r) => r.q4 === v).length / 32);
    node.membership.forEach((share: number, g: number) => expect(share).toBeCloseTo(shares[g]!, 12));
    expect(node.score).toBeCloseTo(shares.reduce((s, share, g) => s + share * [100, 80, 60, 40, 20][g]!, 0), 10);
    // A reversed question: answer 1 is the best grade.
    const q3 = hq.fuzzy.nodes.find((n: { id: string; kind: string }) => n.id === 'q3' && n.kind === 'question');
    expect(q3.membership[0]).toBeCloseTo(novemberAll.filter((r) => r.q3 === 1).length / 32, 12);
    const kinds = hq.fuzzy.nodes.map((n: { kind: string }) => n.kind);
    expect(kinds.filter((k: string) => k === 'element')).toHaveLength(3);
    expect(hq.fuzzy.nodes[0]).toMatchObject({ id: 'csi', kind: 'index', grade: expect.any(String) });
  });
});

describe('drivers, IPA and derived weights', () => {
  it('explains the satisfaction element by the other indicators with the least-squares R2', async () => {
    const hq = await report('hq');
    const key = hq.drivers.key;
    expect(key).toMatchObject({ status: 'ok', target: 'satisfaction', predictors: ['staff', 'speed', 'facilities', 'recommend'], n: 32 });
    const r2 = olsR2([novemberAll.map(staff), novemberAll.map(speed), novemberAll.map(facilities), novemberAll.map(recommend)], novemberAll.map(satisfaction));
    expect(key.r2).toBeCloseTo(r2, 10);
    const rescaled = Object.values(key.rescaled as Record<string, number>);
    expect(rescaled.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12);
    // IPA: importance = rescaled weight, performance = the indicator's reported score.
    const indicators = new Map(hq.elements.flatMap((e: { indicators: { id: string; score: number }[] }) => e.indicators.map((i) => [i.id, i.score])));
    expect(hq.ipa.status).toBe('ok');
    expect(hq.ipa.items).toHaveLength(4);
    for (const item of hq.ipa.items) {
      expect(['concentrate here', 'keep up the good work', 'low priority', 'possible overkill']).toContain(item.quadrant);
      expect(item.importance).toBe(key.rescaled[item.id]);
      expect(item.performance).toBe(indicators.get(item.id));
      const high = (v: number, m: number) => v >= m - 1e-12;
      const expected = high(item.importance, hq.ipa.importanceMean)
        ? high(item.performance, hq.ipa.performanceMean) ? 'keep up the good work' : 'concentrate here'
        : high(item.performance, hq.ipa.performanceMean) ? 'possible overkill' : 'low priority';
      expect(item.quadrant).toBe(expected);
    }
  });

  it('weights perceived quality by the rescaled relative weights of its indicators (weighting: derived)', async () => {
    const hq = await report('hq');
    const derived = hq.drivers.derived.quality;
    expect(derived).toMatchObject({ status: 'ok', source: 'unit', target: 'satisfaction', n: 32 });
    expect(derived.r2).toBeCloseTo(olsR2([novemberAll.map(staff), novemberAll.map(speed), novemberAll.map(facilities)], novemberAll.map(satisfaction)), 10);
    const [quality] = hq.elements;
    const weighted = quality.indicators.reduce((s: number, i: { id: string; score: number }) => s + derived.weights[i.id] * i.score, 0);
    expect(quality.score).toBeCloseTo(weighted, 10);
    const equal = mean(quality.indicators.map((i: { score: number }) => i.score));
    expect(Math.abs(quality.score - equal)).toBeGreaterThan(1e-6); // not silently equal weights

    // b has too few complete responses of its own (12 < 3 + 10): the whole organisation's weights,
    // of the previous month, which has them (a month's estimate that this month's answers do not move).
    const october = (await report('hq', '2026-10')).drivers.derived.quality;
    expect(october).toMatchObject({ status: 'ok', source: 'unit' });
    expect(october.weights).not.toEqual(derived.weights);
    const b = await report('b');
    expect(b.drivers.derived.quality).toMatchObject({ status: 'withheld', source: 'root', weights: october.weights });
    expect(b.drivers.key.status).toBe('withheld');
    expect(b.notes.join(' ')).toMatch(/"quality" come from the whole organisation/);
    expect(b.notes.join(' ')).toMatch(/borrowed from "hq" are those of 2026-10/);
    const bQuality = b.elements[0];
    expect(bQuality.score).toBeCloseTo(bQuality.indicators.reduce((s: number, i: { id: string; score: number }) => s + october.weights[i.id] * i.score, 0), 10);
  });

  it('reports Cronbach\'s alpha per element over its questions', async () => {
    const hq = await report('hq');
    const complete = novemberAll.filter((r) => r.q2 !== undefined);
    const items = [complete.map((r) => score(r.q1!)), complete.map((r) => score(r.q2!)), complete.map(speed), complete.map(facilities)];
    const totals = complete.map((_, i) => items.reduce((s, item) => s + item[i]!, 0));
    const alpha = (4 / 3) * (1 - items.reduce((s, item) => s + variance(item), 0) / variance(totals));
    expect(hq.reliability.quality).toMatchObject({ status: 'ok', n: complete.length, k: 4 });
    expect(hq.reliability.quality.alpha).toBeCloseTo(alpha, 10);
    expect(hq.reliability.satisfaction).toMatchObject({ status: 'invalid', k: 1 });
  });
});

describe('the report page', () => {
  it('shows intervals, marks, drivers with IPA quadrants and the fuzzy evaluation', async () => {
    const text = await reportViews(platform, '/admin/reports/statistics-csi?period=2026-11&orgUnit=a&lang=en', ['significance', 'proportions', 'drivers', 'fuzzy', 'reliability']);
    expect(text).toContain('Significance');
    expect(text).toContain('Welch t-test');
    expect(text).toMatch(/▲<\/span> \+\d+\.\d/);
    expect(text).toContain('Net Promoter Score (NPS)');
    expect(text).toContain('Top-2-box');
    expect(text).toContain('Key drivers');
    expect(text).toContain('Importance-performance analysis (IPA)');
    expect(text).toMatch(/concentrate here|keep up the good work|low priority|possible overkill/);
    expect(text).toContain('<svg');
    expect(text).toContain('Fuzzy comprehensive evaluation');
    expect(text).toContain("Cronbach's alpha".replace("'", '&#39;'));
    expect(text).not.toContain('<script');

    const hq = { text: await reportViews(platform, '/admin/reports/statistics-csi?period=2026-11&orgUnit=hq', ['summary', 'drivers', 'fuzzy']) };
    expect(hq.text).toContain('关键驱动因素');
    expect(hq.text).toContain('模糊综合评价');
    expect(hq.text).toContain('数据不予显示'); // s is withheld among the units below
    expect(hq.text).toContain('Small branch');

    const small = { text: await reportViews(platform, '/admin/reports/statistics-csi?period=2026-11&orgUnit=s&lang=en', ['summary', 'drivers']) };
    expect(small.text).toContain('Figures withheld');
    expect(small.text).not.toContain('Key drivers');
  });
});
