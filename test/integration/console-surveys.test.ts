/**
 * The console's questionnaire and organisation routes (issue #13) through HTTP against dynalite:
 * GET /admin/surveys (states, versions, drafts, this month's responses in the reader's units,
 * cursor pages and refused cursors), GET .../versions/{version}, the draft (save with the same
 * validation and lint publication runs, errors at their fields; optimistic revisions; refused
 * documents; publication as the next version, a retried publication publishing nothing twice),
 * archiving, and GET /admin/org-units (the caller's subtree, with its managers).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform';
import { BRANCH_TREE, createTestUser, type TestUser } from '../helpers/users';

process.env.MANYI_MINIMUM_N = '1';

let platform: TestPlatform;
let executiveNorth: TestUser;
let managerNorth: TestUser;
const miniCsi = fixture('mini-csi.yaml');
const answers = { q1: 4, q2: 5, q3: 2, q4: 4, q5: 3 };

const list = async (query = '', user?: TestUser) => {
  const res = await platform.api('GET', `/admin/surveys${query}`, user ? { token: user.token } : {});
  expect(res.status, res.text).toBe(200);
  return res.body as { surveys: { surveyId: string; state: string; latestVersion?: number; versions: { version: number }[]; draft?: { revision: number }; title: Record<string, string>; responses: { period: string; count: number } }[]; cursor?: string };
};
const saveDraft = (surveyId: string, body: unknown) => platform.api('PUT', `/admin/surveys/${surveyId}/draft`, { body });

beforeAll(async () => {
  platform = await startTestPlatform(new Date('2026-11-10T02:00:00Z'));
  expect((await platform.api('POST', '/admin/surveys', { body: miniCsi })).status).toBe(201);
  expect((await platform.api('POST', '/admin/org-units', { body: { units: BRANCH_TREE } })).status).toBe(200);
  // Three answers at n1 (north), two at s1 (south), computed.
  for (const unit of ['n1', 'n1', 'n1', 's1', 's1']) {
    const campaign = await platform.api('POST', '/admin/campaigns', { body: { surveyId: 'mini-csi', channel: 'link', contacts: [{ orgUnitId: unit }] } });
    expect(campaign.status, campaign.text).toBe(201);
    expect((await platform.api('POST', `/s/${campaign.body.invitations[0].token}`, { token: null, body: { answers } })).status).toBe(201);
  }
  expect((await platform.api('POST', '/admin/jobs/compute-indices', { body: { period: '2026-11' } })).status).toBe(200);
  executiveNorth = await createTestUser(platform, { role: 'executive', orgUnits: ['north'] });
  managerNorth = await createTestUser(platform, { role: 'manager', orgUnits: ['n1'] });
});
afterAll(async () => {
  await platform?.stop();
});

describe('GET /admin/surveys', () => {
  it('lists each questionnaire with its versions, state and this month\'s responses in the reader\'s units', async () => {
    const all = await list();
    expect(all.surveys).toEqual([
      expect.objectContaining({ surveyId: 'mini-csi', state: 'published', latestVersion: 1, versions: [expect.objectContaining({ version: 1 })], title: miniCsi.title, responses: { period: '2026-11', count: 5 } }),
    ]);
    expect((await list('', executiveNorth)).surveys[0]!.responses).toEqual({ period: '2026-11', count: 3 });
  });

  it('pages by cursor, and refuses a cursor it did not give out', async () => {
    for (const id of ['page-a', 'page-b', 'page-c']) expect((await saveDraft(id, { definition: { title: { en: id } } })).status).toBe(200);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await list(`?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.surveys.length).toBeLessThanOrEqual(2);
      seen.push(...page.surveys.map((survey) => survey.surveyId));
      cursor = page.cursor;
    } while (cursor);
    expect(seen).toEqual(['mini-csi', 'page-a', 'page-b', 'page-c']);
    const forged = Buffer.from(JSON.stringify({ pk: 'USER#usr_1', sk: 'USER' })).toString('base64url');
    // An empty or over-long key value would be DynamoDB's refusal (a 500) if passed on.
    const empty = Buffer.from(JSON.stringify({ pk: 'SURVEYS', sk: '' })).toString('base64url');
    const long = Buffer.from(JSON.stringify({ pk: 'SURVEYS', sk: `SURVEY#${'调'.repeat(400)}` })).toString('base64url');
    for (const bad of ['not-a-cursor', forged, Buffer.from('[1]').toString('base64url'), empty, long]) {
      const res = await platform.api('GET', `/admin/surveys?cursor=${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ path: 'cursor' })]);
    }
    expect((await platform.api('GET', '/admin/surveys?limit=101')).status).toBe(400);
    expect((await platform.api('GET', '/admin/surveys?sort=title')).status).toBe(400);
  });

  it('shows a draft-only questionnaire as a draft, with its title', async () => {
    const page = await list('?limit=100');
    expect(page.surveys.find((survey) => survey.surveyId === 'page-a')).toEqual(expect.objectContaining({ state: 'draft', versions: [], title: { en: 'page-a' }, draft: expect.objectContaining({ revision: 1 }) }));
  });

  it('archives and restores, and filters by it', async () => {
    const archived = await platform.api('POST', '/admin/surveys/page-b/archive', { body: { archived: true } });
    expect(archived.status, archived.text).toBe(200);
    expect(archived.body.archivedAt).toBe('2026-11-10T02:00:00.000Z');
    expect((await list('?archived=only')).surveys.map((survey) => survey.surveyId)).toEqual(['page-b']);
    expect((await list('?archived=exclude')).surveys.map((survey) => survey.surveyId)).not.toContain('page-b');
    expect((await list()).surveys.find((survey) => survey.surveyId === 'page-b')?.state).toBe('archived');
    // No new campaign (nor its preview) uses an archived questionnaire.
    expect((await platform.api('POST', '/admin/surveys', { body: { ...miniCsi, id: 'page-b' } })).status).toBe(201);
    const refused = await platform.api('POST', '/admin/campaigns', { body: { surveyId: 'page-b', channel: 'link', contacts: [{ orgUnitId: 'n1' }] } });
    expect(refused.status, refused.text).toBe(409);
    expect(refused.body.message).toMatch(/archived/);
    expect((await platform.api('POST', '/admin/surveys/page-b/archive', { body: { archived: false } })).body).toEqual({ surveyId: 'page-b' });
    expect((await platform.api('POST', '/admin/campaigns', { body: { surveyId: 'page-b', channel: 'link', contacts: [{ orgUnitId: 'n1' }] } })).status).toBe(201);
    expect((await platform.api('POST', '/admin/surveys/nothing-here/archive', { body: { archived: true } })).status).toBe(404);
    expect((await platform.api('POST', '/admin/surveys/page-b/archive', { body: { archived: 'yes' } })).status).toBe(400);
  });
});

describe('GET /admin/surveys/{surveyId}/versions/{version}', () => {
  it('answers the version as published, and 404 for one that is not', async () => {
    const res = await platform.api('GET', '/admin/surveys/mini-csi/versions/1', { token: managerNorth.token });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ surveyId: 'mini-csi', version: 1, publishedAt: '2026-11-10T02:00:00.000Z', definition: { id: 'mini-csi', title: miniCsi.title } });
    expect(res.body.contentHash).toMatch(/^[0-9a-f]{64}$/);
    for (const version of ['2', '0', '01', 'one']) expect((await platform.api('GET', `/admin/surveys/mini-csi/versions/${version}`)).status, version).toBe(404);
  });
});

describe('the draft', () => {
  it('is saved as it is, valid or not, and answers the validation and lint of publication at their fields', async () => {
    const { questions: _questions, ...withoutQuestions } = miniCsi;
    const saved = await saveDraft('mini-csi', { definition: withoutQuestions });
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body).toMatchObject({ surveyId: 'mini-csi', revision: 1, nextVersion: 2, savedAt: '2026-11-10T02:00:00.000Z' });
    expect(saved.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'questions' })]));
    const read = await platform.api('GET', '/admin/surveys/mini-csi/draft', { token: executiveNorth.token });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ revision: 1, definition: withoutQuestions, nextVersion: 2 });
    // Respondents and reports still see version 1 only.
    expect((await list()).surveys.find((survey) => survey.surveyId === 'mini-csi')).toMatchObject({ latestVersion: 1, draft: { revision: 1 } });
  });

  it('refuses a save of another revision than the current one, and keeps the current one', async () => {
    const stale = await saveDraft('mini-csi', { definition: { ...miniCsi, title: { en: 'Stale' } }, baseRevision: 0 });
    expect(stale.status, stale.text).toBe(409);
    expect(stale.body.message).toMatch(/revision 1, not 0/);
    const next = await saveDraft('mini-csi', { definition: { ...miniCsi, title: { 'zh-CN': '迷你满意度调查（第二版）', en: 'Mini survey, second edition' } }, baseRevision: 1 });
    expect(next.status, next.text).toBe(200);
    expect(next.body).toMatchObject({ revision: 2, errors: [] });
  });

  it('refuses a document it cannot store, or one of another questionnaire, with the field', async () => {
    const cases: [unknown, string][] = [
      [{ definition: JSON.parse('{"title":{"constructor":"x"}}') }, 'definition.title.constructor'],
      [{ definition: { id: 'other-id' } }, 'definition.id'],
      [{ definition: { a: '' }, extra: true }, '(root)'],
      [{ definition: [] }, 'definition'],
      [{ definition: { title: { en: 'x'.repeat(300_001) } } }, 'definition'],
    ];
    for (const [body, path] of cases) {
      const res = await saveDraft('mini-csi', body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.errors.map((problem: { path: string }) => problem.path)).toContain(path);
    }
    const deep = await platform.api('PUT', '/admin/surveys/mini-csi/draft', { body: `{"definition":${'{"a":'.repeat(30)}1${'}'.repeat(30)}}` });
    expect(deep.status).toBe(400);
    expect((await platform.api('GET', '/admin/surveys/mini-csi/draft')).body.revision).toBe(2);
  });

  it('is published as the next version and then removed; a publication retried after a crash publishes nothing twice', async () => {
    expect((await platform.api('POST', '/admin/surveys/mini-csi/draft/publish', { body: { revision: 1 } })).status).toBe(409);
    const published = await platform.api('POST', '/admin/surveys/mini-csi/draft/publish', { body: { revision: 2 } });
    expect(published.status, published.text).toBe(201);
    expect(published.body).toMatchObject({ surveyId: 'mini-csi', version: 2 });
    expect((await platform.api('GET', '/admin/surveys/mini-csi/draft')).status).toBe(404);
    expect((await platform.api('GET', '/admin/surveys/mini-csi/versions/2')).body.definition.title.en).toBe('Mini survey, second edition');

    // A publication that stopped after the version and before removing its draft: the retry
    // finds the version there and only removes the draft.
    const again = { ...miniCsi, title: { 'zh-CN': '第三版', en: 'Third edition' } };
    expect((await saveDraft('mini-csi', { definition: again })).status).toBe(200);
    expect((await platform.api('POST', '/admin/surveys', { body: { ...again, version: 3 } })).status).toBe(201);
    const retried = await platform.api('POST', '/admin/surveys/mini-csi/draft/publish');
    expect(retried.status, retried.text).toBe(201);
    expect(retried.body.version).toBe(3);
    expect((await platform.api('GET', '/admin/surveys/mini-csi/versions/4')).status).toBe(404);
    expect((await platform.api('GET', '/admin/surveys/mini-csi/draft')).status).toBe(404);
  });

  it('refuses to publish an invalid draft and keeps it', async () => {
    expect((await saveDraft('page-c', { definition: { title: { en: 'Not yet' } } })).status).toBe(200);
    const refused = await platform.api('POST', '/admin/surveys/page-c/draft/publish');
    expect(refused.status).toBe(400);
    expect(refused.body.errors.length).toBeGreaterThan(0);
    expect((await platform.api('GET', '/admin/surveys/page-c/draft')).status).toBe(200);
    expect((await platform.api('POST', '/admin/surveys/no-draft/draft/publish')).status).toBe(404);
  });
});

describe('GET /admin/org-units', () => {
  it('answers the caller\'s subtree, each unit followed by its subtree, with with its managers', async () => {
    const everything = await platform.api('GET', '/admin/org-units');
    expect(everything.status, everything.text).toBe(200);
    expect(everything.body.units.map((unit: { id: string }) => unit.id)).toEqual(['hq', 'north', 'n1', 'south', 's1']);
    expect(everything.body.units.find((unit: { id: string }) => unit.id === 'n1').managers).toEqual([{ userId: managerNorth.userId, name: 'Test manager' }]);
    const north = await platform.api('GET', '/admin/org-units', { token: executiveNorth.token });
    expect(north.body.units).toEqual([
      { id: 'north', name: 'North', parentId: 'hq', managers: [] },
      { id: 'n1', name: 'N1', parentId: 'north', managers: [{ userId: managerNorth.userId, name: 'Test manager' }] },
    ]);
  });
});
