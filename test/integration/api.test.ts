/**
 * The spine end to end, through the local HTTP adapter (the same handlers Lambda runs) against
 * dynalite: publish, organise, invite, answer, compute, report. The figures asserted for the
 * report are computed by hand in the comments below.
 */
// These suites assert exact figures of units with a handful of responses: no small-sample withholding.
process.env.MANYI_MINIMUM_N = '1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform';

let platform: TestPlatform;
const mini = fixture('mini-csi.yaml');

beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => {
  await platform?.stop();
});

const units = [
  { id: 'hq', name: 'Head office' },
  { id: 'r1', name: 'Region 1', parentId: 'hq' },
  { id: 'r2', name: 'Region 2', parentId: 'hq' },
  { id: 'b1', name: 'Branch 1', parentId: 'r1' },
  { id: 'b2', name: 'Branch 2', parentId: 'r1' },
  { id: 'b3', name: 'Branch 3', parentId: 'r2' },
];

async function invite(contacts: { orgUnitId: string; name?: string; phone?: string }[], extra: Record<string, unknown> = {}) {
  const res = await platform.api('POST', '/admin/campaigns', { body: { surveyId: 'mini-csi', channel: 'link', contacts, ...extra } });
  expect(res.status, res.text).toBe(201);
  return res.body as { campaignId: string; invitations: { invitationId: string; token: string; url: string }[] };
}

/** The single invitation of a one-contact campaign. */
async function inviteOne(orgUnitId: string, extra: Record<string, unknown> = {}) {
  const [invitation] = (await invite([{ orgUnitId }], extra)).invitations;
  if (!invitation) throw new Error('no invitation created');
  return invitation;
}

describe('health and authorisation', () => {
  it('GET /health answers without a token', async () => {
    const res = await platform.api('GET', '/health', { token: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
  });

  it.each([
    ['POST', '/admin/surveys'],
    ['POST', '/admin/org-units'],
    ['POST', '/admin/campaigns'],
    ['POST', '/admin/jobs/compute-indices'],
    ['GET', '/admin/reports/mini-csi'],
  ])('%s %s is 401 without a token and with a wrong one', async (method, path) => {
    const body = method === 'GET' ? undefined : {};
    expect((await platform.api(method, path, { token: null, body })).status).toBe(401);
    expect((await platform.api(method, path, { token: 'wrong-token-wrong-token-wrong', body })).status).toBe(401);
  });
});

describe('publishing questionnaires', () => {
  it('publishes, accepts an identical re-post, refuses changed content for the same version', async () => {
    const first = await platform.api('POST', '/admin/surveys', { body: mini });
    expect(first.status, first.text).toBe(201);
    expect(first.body).toMatchObject({ surveyId: 'mini-csi', version: 1 });

    const again = await platform.api('POST', '/admin/surveys', { body: mini });
    expect(again.status).toBe(200);

    const changed = await platform.api('POST', '/admin/surveys', { body: { ...mini, title: { 'zh-CN': '改了', en: 'Changed' } } });
    expect(changed.status).toBe(409);
    expect(changed.body.message).toMatch(/already published/);
  });

  it('answers an invalid questionnaire with 400 and path-named errors', async () => {
    const index = mini.index as { elements: { weight: number }[] };
    const broken = { ...mini, id: 'broken', index: { ...index, elements: index.elements.map((e, i) => (i === 1 ? { ...e, weight: 0.2 } : e)) } };
    const res = await platform.api('POST', '/admin/surveys', { body: broken });
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual({ path: 'index.elements[2].weight', message: 'sibling weights sum to 0.9, expected 1' });
  });

  it('answers malformed JSON with 400, not 500', async () => {
    const res = await platform.api('POST', '/admin/surveys', { body: '{"id": ' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('(body)');
  });
});

describe('organisation units', () => {
  it('upserts a tree and refuses cycles and unknown parents', async () => {
    const ok = await platform.api('POST', '/admin/org-units', { body: { units } });
    expect(ok.status, ok.text).toBe(200);

    const cycle = await platform.api('POST', '/admin/org-units', { body: { units: [{ id: 'hq', name: 'Head office', parentId: 'b1' }] } });
    expect(cycle.status).toBe(400);
    expect(cycle.body.errors[0].message).toMatch(/^cycle: hq > b1 > r1 > hq$/);

    const orphan = await platform.api('POST', '/admin/org-units', { body: { units: [{ id: 'b9', name: 'Branch 9', parentId: 'nowhere' }] } });
    expect(orphan.status).toBe(400);
    expect(orphan.body.errors).toEqual([{ path: 'units[0].parentId', message: 'unknown parent "nowhere"' }]);
  });
});

describe('campaigns and answering', () => {
  it('creates one invitation with an unguessable token and a personal link per contact', async () => {
    const campaign = await invite([{ orgUnitId: 'b1', name: '张三', phone: '+8613800000001' }, { orgUnitId: 'b2' }]);
    expect(campaign.invitations).toHaveLength(2);
    for (const invitation of campaign.invitations) {
      // base64url: 6 bits a character; at least 128 bits.
      expect(invitation.token).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(invitation.token.length * 6).toBeGreaterThanOrEqual(128);
      expect(invitation.url).toBe(`${platform.url}/s/${invitation.token}`);
    }
    expect(new Set(campaign.invitations.map((i) => i.token)).size).toBe(2);
  });

  it('refuses contacts in unknown units and unknown questionnaires', async () => {
    const res = await platform.api('POST', '/admin/campaigns', { body: { surveyId: 'mini-csi', channel: 'link', contacts: [{ orgUnitId: 'mars' }] } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'contacts[0].orgUnitId', message: 'unknown organisation unit "mars"' }]);
    const unknown = await platform.api('POST', '/admin/campaigns', { body: { surveyId: 'nope', channel: 'link', contacts: [{ orgUnitId: 'b1' }] } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].path).toBe('surveyId');
  });

  it('serves the questionnaire in the best language', async () => {
    const { token } = await inviteOne('b1');
    const byDefault = await platform.api('GET', `/s/${token}`, { token: null });
    expect(byDefault.status).toBe(200);
    expect(byDefault.headers.get('content-type')).toMatch(/text\/html/);
    expect(byDefault.text).toContain('<html lang="zh-CN">');
    expect(byDefault.text).toContain('员工是否专业？');

    const byHeader = await platform.api('GET', `/s/${token}`, { token: null, headers: { 'accept-language': 'en-GB,en;q=0.9,zh;q=0.5' } });
    expect(byHeader.text).toContain('<html lang="en">');
    expect(byHeader.text).toContain('Were the staff professional?');

    const byQuery = await platform.api('GET', `/s/${token}?lang=en`, { token: null, headers: { 'accept-language': 'zh-CN' } });
    expect(byQuery.text).toContain('<html lang="en">');
    expect(byQuery.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('answers an unknown token with a 404 page and an expired one with a 410 page', async () => {
    const unknown = await platform.api('GET', '/s/not-a-real-token-at-all', { token: null });
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('<html');

    const { token } = await inviteOne('b1', { expiresInDays: 1 });
    platform.clock.advance(2 * 86_400_000);
    try {
      const expired = await platform.api('GET', `/s/${token}`, { token: null });
      expect(expired.status).toBe(410);
      const post = await platform.api('POST', `/s/${token}`, { token: null, body: { answers: { q1: 3 } } });
      expect(post.status).toBe(410);
    } finally {
      platform.clock.advance(-2 * 86_400_000);
    }
  });

  it('stores a JSON answer once; a second submission is 409 and leaves the first unchanged', async () => {
    const { token } = await inviteOne('b1');
    const first = await platform.api('POST', `/s/${token}`, { token: null, body: { answers: { q1: 4, q4: 5 } } });
    expect(first.status, first.text).toBe(201);
    expect(first.body.responseId).toMatch(/^rsp_/);

    const second = await platform.api('POST', `/s/${token}`, { token: null, body: { answers: { q1: 1, q4: 1 } } });
    expect(second.status).toBe(409);
    const stored = await platform.deps.store.getResponse(token);
    expect(stored?.answers).toEqual({ q1: 4, q4: 5 });
    expect(stored?.responseId).toBe(first.body.responseId);

    const page = await platform.api('GET', `/s/${token}`, { token: null });
    expect(page.text).toContain('您已完成本问卷');
  });

  it('stores exactly one response when the same link is submitted concurrently', async () => {
    const { token } = await inviteOne('b1');
    const attempts = await Promise.all(
      Array.from({ length: 12 }, (_, i) => platform.api('POST', `/s/${token}`, { token: null, body: { answers: { q1: 1 + (i % 5) } } })),
    );
    const statuses = attempts.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(11);
    const winner = attempts.find((a) => a.status === 201);
    expect((await platform.deps.store.getResponse(token))?.responseId).toBe(winner?.body.responseId);
  });

  it('needs the answers wrapped as {"answers": {...}} in JSON', async () => {
    const { token } = await inviteOne('b1');
    const res = await platform.api('POST', `/s/${token}`, { token: null, body: { q1: 4 } });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain('answers');
  });

  it('sends the thank-you link of an unanswered survey back to the questionnaire', async () => {
    const { token } = await inviteOne('b1');
    const res = await platform.api('GET', `/s/${token}/thanks`, { token: null });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/s/${token}`);
  });

  it('labels the language switch with the target language', async () => {
    const { token } = await inviteOne('b1');
    const zh = await platform.api('GET', `/s/${token}`, { token: null });
    expect(zh.text).toMatch(/hreflang="en" lang="en">English</);
    const en = await platform.api('GET', `/s/${token}?lang=en`, { token: null });
    expect(en.text).toMatch(/hreflang="zh-CN" lang="zh-CN">中文</);
  });

  it('refuses invalid answers with per-question errors and stores nothing', async () => {
    const { token } = await inviteOne('b1');
    const res = await platform.api('POST', `/s/${token}`, { token: null, body: { answers: { q2: 9, channel: 'phone', zz: 1 } } });
    expect(res.status).toBe(400);
    const paths = res.body.errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(['answers.channel', 'answers.q1', 'answers.q2', 'answers.zz']);
    expect(await platform.deps.store.getResponse(token)).toBeUndefined();
  });

  it('accepts the page form post: 303 to the thank-you page; errors re-render the form with 400', async () => {
    const { token } = await inviteOne('b1');
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const invalid = await platform.api('POST', `/s/${token}`, { token: null, headers: form, body: 'lang=en&q2=3' });
    expect(invalid.status).toBe(400);
    expect(invalid.text).toContain('Please answer this question.');
    expect(invalid.text).toMatch(/value="3" checked/); // what was entered is kept
    expect(await platform.deps.store.getResponse(token)).toBeUndefined();

    const ok = await platform.api('POST', `/s/${token}`, { token: null, headers: form, body: 'lang=en&q1=5&q2=&channel=app&comment=%E5%BE%88%E5%A5%BD' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(`/s/${token}/thanks?lang=en`);
    expect((await platform.deps.store.getResponse(token))?.answers).toEqual({ q1: 5, channel: 'app', comment: '很好' });
    const thanks = await platform.api('GET', `/s/${token}/thanks?lang=en`, { token: null });
    expect(thanks.text).toContain('Thank you');

    const again = await platform.api('POST', `/s/${token}`, { token: null, headers: form, body: 'q1=1' });
    expect(again.status).toBe(409);
    expect(again.text).toContain('已完成');
  });
});

describe('computing and reporting', () => {
  /**
   * A fresh questionnaire version so earlier tests' responses do not count. Scale 1..5 scores
   * 0, 25, 50, 75, 100; q3 is reversed.
   *   b1/A: q1=5 q2=4 q3=2 q4=5 -> 100, 75, 75, 100      b1/B: q1=3 q2=3 q3=4 q4=3 -> 50, 50, 25, 50
   *   b2/C: q1=4 q4=4           -> 75, -, -, 75          b3/D: q1=1 q2=2 q3=5 q4=2 -> 0, 25, 0, 25
   * Region r1 (A, B, C): q1 75, q2 62.5, q3 50, q4 75; staff 68.75, speed 50, quality 59.375,
   *   satisfaction 75, complaints absent -> CSI = (0.5 x 59.375 + 0.3 x 75) / 0.8 = 65.234375.
   * HQ (A..D): q1 56.25, q2 50, q3 33.33.., q4 62.5; staff 53.125, quality 43.2291666..,
   *   CSI = (0.5 x 43.2291666.. + 0.3 x 62.5) / 0.8 = 50.455729166.. (not the mean of r1 and r2).
   * r2 (D): staff 12.5, speed 0, quality 6.25, satisfaction 25 -> CSI 13.28125.
   */
  const answersByContact = [
    { orgUnitId: 'b1', answers: { q1: 5, q2: 4, q3: 2, q4: 5 } },
    { orgUnitId: 'b1', answers: { q1: 3, q2: 3, q3: 4, q4: 3 } },
    { orgUnitId: 'b2', answers: { q1: 4, q4: 4 } },
    { orgUnitId: 'b3', answers: { q1: 1, q2: 2, q3: 5, q4: 2 } },
  ];

  beforeAll(async () => {
    const v2 = { ...mini, version: 2 };
    expect((await platform.api('POST', '/admin/surveys', { body: v2 })).status).toBe(201);
    const campaign = await invite(answersByContact.map(({ orgUnitId }) => ({ orgUnitId })), { version: 2 });
    for (const [i, invitation] of campaign.invitations.entries()) {
      const res = await platform.api('POST', `/s/${invitation.token}`, { token: null, body: { answers: answersByContact[i]?.answers } });
      expect(res.status).toBe(201);
    }
  });

  it('is 404 before anything is computed', async () => {
    const res = await platform.api('GET', '/admin/reports/mini-csi?period=2026-11&orgUnit=hq&version=2');
    expect(res.status).toBe(404);
  });

  it('computes every unit from the responses in its subtree', async () => {
    const job = await platform.api('POST', '/admin/jobs/compute-indices', { body: { period: '2026-11' } });
    expect(job.status, job.text).toBe(200);
    expect(job.body.computed).toContainEqual({ surveyId: 'mini-csi', version: 2, period: '2026-11', responses: 4, units: 6 });

    const hq = await platform.api('GET', '/admin/reports/mini-csi?period=2026-11&orgUnit=hq');
    expect(hq.status, hq.text).toBe(200);
    const report = hq.body;
    expect(report).toMatchObject({ surveyId: 'mini-csi', version: 2, period: '2026-11', orgUnit: 'hq', n: 4 });
    expect(report.csi).toBeCloseTo(50.455729166666664, 10);
    const [quality, satisfaction, complaints] = report.elements;
    expect(quality.id).toBe('quality');
    expect(quality.score).toBeCloseTo(43.229166666666664, 10);
    expect(quality.n).toBe(4);
    expect(satisfaction.score).toBeCloseTo(62.5, 10);
    expect(complaints).toMatchObject({ id: 'complaints', score: null, n: 0 });
    expect(report.notes.join(' ')).toMatch(/complaints.*renormalised/);

    const [staff, speed] = quality.indicators;
    expect(staff).toMatchObject({ id: 'staff', n: 4 });
    expect(staff.score).toBeCloseTo(53.125, 10);
    expect(speed).toMatchObject({ id: 'speed', n: 3 });
    expect(speed.score).toBeCloseTo(100 / 3, 10);

    // q1 at HQ: scores 100, 50, 75, 0: mean 56.25, sample sd sqrt(5468.75 / 3), t(0.975, 3) = 3.182446305284263.
    const q1 = staff.questions[0];
    const sd = Math.sqrt(5468.75 / 3);
    expect(q1).toMatchObject({ id: 'q1', n: 4 });
    expect(q1.score).toBeCloseTo(56.25, 10);
    expect(q1.mean).toBeCloseTo(3.25, 10);
    expect(q1.sd).toBeCloseTo(sd, 10);
    // jstat's t quantile is accurate to about 1e-9 relative: compare at 1e-6.
    expect(q1.ci95[0]).toBeCloseTo(56.25 - (3.182446305284263 * sd) / 2, 6);
    expect(q1.ci95[1]).toBeCloseTo(56.25 + (3.182446305284263 * sd) / 2, 6);

    expect(report.children).toHaveLength(2);
    const [r1, r2] = report.children;
    expect(r1).toMatchObject({ orgUnit: 'r1', n: 3 });
    expect(r1.csi).toBeCloseTo(65.234375, 10);
    expect(r2).toMatchObject({ orgUnit: 'r2', n: 1 });
    expect(r2.csi).toBeCloseTo(13.28125, 10);

    const b2 = await platform.api('GET', '/admin/reports/mini-csi?period=2026-11&orgUnit=b2');
    // Only q1 and q4 answered: speed absent, quality = staff = q1 = 75; CSI renormalised = 75.
    expect(b2.body.csi).toBeCloseTo(75, 10);
    expect(b2.body.elements[0].indicators[1]).toMatchObject({ id: 'speed', score: null, n: 0 });
  });

  it('serves the same figures as a readable page for Accept: text/html', async () => {
    const res = await platform.api('GET', '/admin/reports/mini-csi?period=2026-11&orgUnit=hq&lang=en', { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.text).toContain('50.5'); // the CSI, one decimal
    expect(res.text).toContain('65.2'); // region 1
    expect(res.text).toContain('Perceived quality');
  });

  it('follows the organisation when a unit moves: no stale report or child is left behind', async () => {
    // Move b3 (response D) from r2 to r1: r2's subtree has no response any more.
    expect((await platform.api('POST', '/admin/org-units', { body: { units: [{ id: 'b3', name: 'Branch 3', parentId: 'r1' }] } })).status).toBe(200);
    expect((await platform.api('POST', '/admin/jobs/compute-indices', { body: { period: '2026-11' } })).status).toBe(200);
    const r1 = await platform.api('GET', '/admin/reports/mini-csi?period=2026-11&orgUnit=r1');
    expect(r1.body.n).toBe(4);
    expect(r1.body.children.map((c: { orgUnit: string }) => c.orgUnit)).toEqual(['b1', 'b2', 'b3']);
    expect((await platform.api('GET', '/admin/reports/mini-csi?period=2026-11&orgUnit=r2')).status).toBe(404);
    const hq = await platform.api('GET', '/admin/reports/mini-csi?period=2026-11&orgUnit=hq');
    expect(hq.body.csi).toBeCloseTo(50.455729166666664, 10); // the whole organisation is unchanged
    expect(hq.body.children).toEqual([
      expect.objectContaining({ orgUnit: 'r1', n: 4 }),
      expect.objectContaining({ orgUnit: 'r2', n: 0, csi: null }),
    ]);
  });

  it('reads with keys and queries only: the table is never scanned', () => {
    expect(platform.commands.length).toBeGreaterThan(20);
    expect(platform.commands).not.toContain('ScanCommand');
    expect(platform.commands).toContain('QueryCommand');
  });
});
