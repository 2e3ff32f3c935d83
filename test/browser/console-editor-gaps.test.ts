/// <reference lib="dom" />
/**
 * The editor's gap model and commitment references in Debian's Chromium against the local
 * platform: an analyst builds a small SERVQUAL model (two dimensions of one item; perceptions in
 * the tree, expectations made outside it with the shortcut), sees the missing expectation and a
 * malformed commitment id at their fields, renames a perception question and sees the item follow,
 * saves, and the stored draft holds the model and the reference as built. An imported definition
 * with a PLS model and the optional gap fields exports unchanged but for the renames, which its
 * references follow (a gap dimension's in the importance allocation too). axe in both languages; screenshots at 375 and 1280 px to CONSOLE_SCREENSHOTS.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { haveBrowser, launchChromium } from '../helpers/browser';
import { accessible, POLL, screenshot, signedInConsole } from '../helpers/console-browser';
import { startTestPlatform, type TestPlatform } from '../helpers/platform';
import { BRANCH_TREE, createTestUser } from '../helpers/users';

let browser: Browser;
let platform: TestPlatform;
let analystEmail: string;
const pageErrors: string[] = [];

const signedIn = (lang: 'zh-CN' | 'en', width = 1280) => signedInConsole(browser, platform.url, analystEmail, pageErrors, { lang, width });

const field = (page: Page, dataPath: string) => page.locator(`[data-path="${dataPath}"]`);
const fill = (page: Page, dataPath: string, value: string) => field(page, dataPath).fill(value);
/** An id or number field takes its value when it is left (its change event). */
const enter = async (page: Page, dataPath: string, value: string) => {
  await field(page, dataPath).fill(value);
  await field(page, dataPath).press('Tab');
};
/** The problems listed at a field: the list its input is described by, as the user hears it. */
async function problemsAt(page: Page, dataPath: string): Promise<string> {
  const input = field(page, dataPath);
  if ((await input.getAttribute('aria-invalid')) !== 'true') return '';
  const listId = await input.getAttribute('aria-describedby');
  return (await page.locator(`[id="${listId}"]`).textContent()) ?? '';
}

async function exported(page: Page): Promise<Record<string, any>> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("Export JSON")')]);
  return JSON.parse(await readFile((await download.path())!, 'utf8'));
}

describe.skipIf(!haveBrowser)('the editor\'s gap model and commitment references', () => {
  beforeAll(async () => {
    platform = await startTestPlatform(new Date('2026-11-10T02:00:00Z'));
    expect((await platform.api('POST', '/admin/org-units', { body: { units: BRANCH_TREE } })).status).toBe(200);
    analystEmail = (await createTestUser(platform, { role: 'analyst', orgUnits: ['hq'], email: 'analyst@example.com' })).email;
    const declared = await platform.api('POST', '/admin/commitments', {
      body: { commitments: [{ id: 'repair.handle', title: { 'zh-CN': '6小时内处理故障', en: 'Faults handled within 6 hours' }, eventType: 'repair', from: 'reportedAt', to: 'handledAt', target: 'PT6H' }] },
    });
    expect(declared.status, declared.text).toBe(200);
    browser = await launchChromium();
  }, 60_000);
  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('builds a SERVQUAL model with expectations outside the index and a commitment reference, and saves them as built', async () => {
    const { context, page } = await signedIn('en');
    await page.fill('form.inline input', 'servqual-csi');
    await page.click('form.inline button[type=submit]');
    await page.waitForSelector('#tree-title');

    await fill(page, 'title.zh-CN', '网点服务质量');
    await fill(page, 'title.en', 'Branch service quality');
    await page.click('button:has-text("Add element")');
    await page.click('.element button:has-text("Add indicator")');
    for (let q = 0; q < 3; q++) await page.click('.indicator button:has-text("Add question")');
    await fill(page, 'index.elements[0].title.zh-CN', '服务');
    await fill(page, 'index.elements[0].title.en', 'Service');
    await fill(page, 'index.elements[0].indicators[0].title.zh-CN', '服务感受');
    await fill(page, 'index.elements[0].indicators[0].title.en', 'Service experienced');
    const texts = [['柜员按时办好承诺的事', 'Tellers do what they promise on time'], ['柜员迅速响应', 'Tellers respond promptly'], ['环境整洁', 'The branch is clean']];
    for (const [i, [zh, en]] of texts.entries()) {
      await fill(page, `questions[${i}].text.zh-CN`, zh!);
      await fill(page, `questions[${i}].text.en`, en!);
    }
    await page.waitForSelector('.problems .ok');
    expect(await page.locator('#outside-title ~ p').allTextContents()).toContain('None: every question is in the indicator tree.');

    // The gap model: one dimension first, its item pairing q1 with nothing yet.
    await page.selectOption('[data-path="gaps.model"]', 'servqual');
    await enter(page, 'gaps.tolerance', '0.5');
    await page.click('button:has-text("Add dimension")');
    await enter(page, 'gaps.dimensions[0].id', 'reliability');
    await fill(page, 'gaps.dimensions[0].title.zh-CN', '可靠性');
    await fill(page, 'gaps.dimensions[0].title.en', 'Reliability');
    await page.click('button:has-text("Add item")');
    const item0 = 'gaps.dimensions[0].items[0]';
    expect(await field(page, `${item0}.id`).inputValue()).toBe('reliability-1');
    expect(await field(page, `${item0}.perception`).inputValue()).toBe('q1');
    // checkDraft's problem, at that item's expectation field, and publishing is not offered.
    await expect.poll(() => problemsAt(page, `${item0}.expectation`), POLL).toBe('a SERVQUAL item pairs an expectation with a perception');
    expect(await page.locator('.problems li code').allTextContents()).toEqual([`${item0}.expectation`]);
    expect(await page.locator('button:has-text("Publish")').isDisabled()).toBe(true);
    await accessible(page, 'gap item without an expectation');
    await screenshot(page, 'editor-gaps-problem');

    // The shortcut: a rating question outside the index, on the perception's scale, selected.
    await page.click('button[aria-label="New expectation question: reliability-1"]');
    expect(await field(page, `${item0}.expectation`).inputValue()).toBe('q1e');
    expect(await problemsAt(page, `${item0}.expectation`)).toBe('');
    // The shortcut is gone with the need for it; focus is on the choice it made.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-path')), POLL).toBe(`${item0}.expectation`);
    expect(await page.locator('button[aria-label="New expectation question: reliability-1"]').count()).toBe(0);
    await page.waitForSelector('[data-question=q1e]');
    expect(await field(page, 'questions[3].scale').inputValue()).toBe('s5');
    await fill(page, 'questions[3].text.zh-CN', '优秀的银行按时办好承诺的事');
    await fill(page, 'questions[3].text.en', 'Excellent banks do what they promise on time');

    // The second dimension: its item takes the first question no item uses yet.
    await page.click('button:has-text("Add dimension")');
    await enter(page, 'gaps.dimensions[1].id', 'responsiveness');
    await fill(page, 'gaps.dimensions[1].title.zh-CN', '响应性');
    await fill(page, 'gaps.dimensions[1].title.en', 'Responsiveness');
    await page.locator('.gap-dimensions > li').nth(1).locator('button:has-text("Add item")').click();
    expect(await field(page, 'gaps.dimensions[1].items[0].perception').inputValue()).toBe('q2');
    await page.click('button[aria-label="New expectation question: responsiveness-1"]');
    expect(await field(page, 'gaps.dimensions[1].items[0].expectation').inputValue()).toBe('q2e');
    await fill(page, 'questions[4].text.zh-CN', '优秀的银行迅速响应');
    await fill(page, 'questions[4].text.en', 'Excellent banks respond promptly');

    // A question the gap model names stays when it leaves the tree: it is then listed outside the index.
    await page.selectOption(`[data-path="${item0}.adequate"]`, 'q3');
    await page.click('.tree .question button[aria-label="Remove: q3"]');
    await page.waitForSelector('[data-question=q3]');
    expect(await page.locator('[data-question=q3] .tag').textContent()).toBe('used by the gap model');
    // Removed for good, its reference stays and checkDraft names it at the field.
    await page.click('[data-question=q3] button[aria-label="Remove: q3"]');
    await expect.poll(() => problemsAt(page, `${item0}.adequate`), POLL).toBe('unknown question "q3"');
    expect(await field(page, `${item0}.adequate`).inputValue()).toBe('q3');
    await page.selectOption(`[data-path="${item0}.adequate"]`, '');
    expect(await problemsAt(page, `${item0}.adequate`)).toBe('');

    // A commitment reference: the declared ones are suggested; a malformed id is refused at its field.
    expect(await page.locator('#commitment-ids option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value))).toEqual(['repair.handle']);
    await fill(page, 'questions[0].commitment', 'Repair handle');
    await expect.poll(() => problemsAt(page, 'questions[0].commitment'), POLL).toBe('expected a commitment id such as gas.repair.handle');
    await fill(page, 'questions[0].commitment', 'repair.handle');
    expect(await problemsAt(page, 'questions[0].commitment')).toBe('');

    // Renaming a perception question: the tree and the gap item follow.
    await enter(page, 'questions[0].id', 'courtesy');
    expect(await field(page, `${item0}.perception`).inputValue()).toBe('courtesy');
    const json = await exported(page);
    expect(json.index.elements[0].indicators[0].questions).toEqual(['courtesy', 'q2']);
    expect(json.gaps.dimensions[0].items[0]).toEqual({ id: 'reliability-1', perception: 'courtesy', expectation: 'q1e' });
    await page.waitForSelector('.problems .ok');
    await accessible(page, 'editor with a gap model');
    await screenshot(page, 'editor-gaps');

    await page.click('button:has-text("Save draft")');
    await page.waitForSelector('text=Saved (revision 1)');
    const draft = await platform.api('GET', '/admin/surveys/servqual-csi/draft');
    expect(draft.status).toBe(200);
    expect(draft.body.errors).toEqual([]);
    expect(draft.body.definition.gaps).toEqual({
      model: 'servqual',
      tolerance: 0.5,
      dimensions: [
        { id: 'reliability', title: { 'zh-CN': '可靠性', en: 'Reliability' }, items: [{ id: 'reliability-1', perception: 'courtesy', expectation: 'q1e' }] },
        { id: 'responsiveness', title: { 'zh-CN': '响应性', en: 'Responsiveness' }, items: [{ id: 'responsiveness-1', perception: 'q2', expectation: 'q2e' }] },
      ],
    });
    const questions = draft.body.definition.questions as { id: string; commitment?: string }[];
    expect(questions.map((q) => q.id)).toEqual(['courtesy', 'q2', 'q1e', 'q2e']);
    expect(questions.filter((q) => q.commitment !== undefined)).toEqual([expect.objectContaining({ id: 'courtesy', type: 'rating', scale: 's5', commitment: 'repair.handle' })]);
    await context.close();

    // The saved draft opens with its model in Chinese as well.
    const zh = await signedIn('zh-CN', 375);
    await zh.page.goto(`${platform.url}/console/#/surveys/servqual-csi/draft`);
    await zh.page.waitForSelector('#gaps-title');
    expect(await field(zh.page, 'gaps.dimensions[1].items[0].expectation').inputValue()).toBe('q2e');
    expect(await field(zh.page, 'questions[0].commitment').inputValue()).toBe('repair.handle');
    await zh.page.waitForSelector('.problems .ok');
    await accessible(zh.page, 'editor with a gap model, zh-CN');
    await screenshot(zh.page, 'editor-gaps-zh-CN');
    await zh.context.close();
  });

  it('keeps what an imported definition holds and renames its references: the PLS model\'s elements, the gap model\'s questions', async () => {
    const text = (en: string) => ({ 'zh-CN': `${en}（中文）`, en });
    const rating = (id: string) => ({ id, type: 'rating', scale: 'agree7', required: true, text: text(`Statement ${id}`) });
    const imported = {
      title: text('Imported'),
      languages: ['zh-CN', 'en'],
      scales: { agree7: { type: 'rating', min: 1, max: 7 } },
      index: {
        id: 'csi',
        title: text('Index'),
        weighting: { method: 'pls' },
        model: { type: 'pls', paths: [['quality', 'satisfaction']], csi: 'satisfaction', bootstrap: 0 },
        elements: [
          // Derived weights name their target: the satisfaction element, renamed below.
          { id: 'quality', title: text('Quality'), weighting: { method: 'derived', target: 'satisfaction' }, indicators: [{ id: 'quality-i', title: text('Quality indicator'), questions: ['rel1p', 'emp1p'] }] },
          { id: 'satisfaction', title: text('Satisfaction'), indicators: [{ id: 'satisfaction-i', title: text('Satisfaction indicator'), weighting: { method: 'fixed', weights: { sat1: 0.5, sat2: 0.5 } }, questions: ['sat1', 'sat2'] }] },
        ],
      },
      gaps: {
        model: 'servqual',
        tolerance: 0.5,
        importance: 'importance',
        dimensions: [
          { id: 'reliability', title: text('Reliability'), target: -0.5, competitor: -0.8, items: [{ id: 'rel1', expectation: 'rel1e', perception: 'rel1p', adequate: 'rel1a' }] },
          { id: 'empathy', items: [{ id: 'emp1', expectation: 'emp1e', perception: 'emp1p' }] },
        ],
      },
      questions: [
        ...['rel1p', 'emp1p', 'sat1', 'sat2', 'rel1e', 'rel1a', 'emp1e'].map(rating),
        { id: 'importance', type: 'allocation', total: 100, text: text('Spread 100 points'), dimensions: ['reliability', 'empathy'] },
      ],
    };
    const { context, page } = await signedIn('en');
    await page.fill('form.inline input', 'servqual-import');
    await page.click('form.inline button[type=submit]');
    await page.waitForSelector('#tree-title');
    await page.setInputFiles('.toolbar input[type=file]', { name: 'servqual.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(imported)) });
    await page.waitForSelector('[data-question=importance]');
    expect(await field(page, 'gaps.importance').inputValue()).toBe('importance');
    expect(await field(page, 'gaps.dimensions[0].target').inputValue()).toBe('-0.5');
    expect(await field(page, 'questions[7].type').inputValue()).toBe('allocation');
    expect(await page.locator('.outside > li').evaluateAll((items) => items.map((li) => li.getAttribute('data-question')))).toEqual(['rel1e', 'rel1a', 'emp1e', 'importance']);
    await page.waitForSelector('.problems .ok');
    expect(await exported(page)).toEqual({ ...imported, id: 'servqual-import' });

    await enter(page, 'index.elements[1].id', 'overall');
    await enter(page, 'questions[0].id', 'rel1perceived');
    await enter(page, 'questions[2].id', 'satisfied');
    await enter(page, 'questions[7].id', 'points');
    await enter(page, 'gaps.dimensions[1].id', 'care');
    await page.waitForSelector('.problems .ok');
    const renamed = await exported(page);
    expect(renamed.questions[7]).toEqual({ ...imported.questions[7], id: 'points', dimensions: ['reliability', 'care'] });
    expect(renamed.index.model).toEqual({ type: 'pls', paths: [['quality', 'overall']], csi: 'overall', bootstrap: 0 });
    expect(renamed.index.elements[0].weighting).toEqual({ method: 'derived', target: 'overall' });
    expect(renamed.index.elements[0].indicators[0].questions).toEqual(['rel1perceived', 'emp1p']);
    expect(renamed.index.elements[1].indicators[0].weighting).toEqual({ method: 'fixed', weights: { satisfied: 0.5, sat2: 0.5 } });
    expect(renamed.gaps).toEqual({
      ...imported.gaps,
      importance: 'points',
      dimensions: [{ ...imported.gaps.dimensions[0], items: [{ id: 'rel1', expectation: 'rel1e', perception: 'rel1perceived', adequate: 'rel1a' }] }, { ...imported.gaps.dimensions[1], id: 'care' }],
    });

    // Off drops the model; on again brings it back as it was.
    await page.selectOption('[data-path="gaps.model"]', 'off');
    expect(await page.locator('.gap-dimensions').count()).toBe(0);
    expect((await exported(page)).gaps).toBeUndefined();
    // A question renamed while the model is off is renamed in it too.
    await enter(page, 'questions[4].id', 'rel1expected');
    await page.selectOption('[data-path="gaps.model"]', 'servqual');
    const [reliability, empathy] = renamed.gaps.dimensions;
    expect((await exported(page)).gaps).toEqual({ ...renamed.gaps, dimensions: [{ ...reliability, items: [{ ...reliability.items[0], expectation: 'rel1expected' }] }, empathy] });
    await accessible(page, 'imported gap model');
    await context.close();
  });
});
