/// <reference lib="dom" />
/**
 * The console in Debian's Chromium against the real local platform (dynalite): an analyst signs
 * in, builds a questionnaire from nothing in the editor (two elements, four rating questions,
 * zh-CN and en texts, AHP weights inconsistent first, then consistent), previews it in both
 * languages, saves and publishes it (after the diff); axe finds nothing on any page in either
 * language; nothing scrolls sideways at 375 px; screenshots at 375 and 1280 px go to
 * CONSOLE_SCREENSHOTS (default: the system's temporary directory) to be looked at.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { haveBrowser, launchChromium } from '../helpers/browser';
import { accessible, POLL, screenshot, signedInConsole } from '../helpers/console-browser';
import { smsSegments } from '../../functions/domain/distribution/sms-text';
import { startTestPlatform, type TestPlatform } from '../helpers/platform';
import { BRANCH_TREE, createTestUser } from '../helpers/users';

let browser: Browser;
let platform: TestPlatform;
let analystEmail: string;
let managerEmail: string;
let adminEmail: string;
const pageErrors: string[] = [];

const signedIn = (lang: 'zh-CN' | 'en', width = 1280, email = analystEmail) => signedInConsole(browser, platform.url, email, pageErrors, { lang, width });

describe.skipIf(!haveBrowser)('the console in a browser', () => {
  beforeAll(async () => {
    platform = await startTestPlatform(new Date('2026-11-10T02:00:00Z'));
    expect((await platform.api('POST', '/admin/org-units', { body: { units: BRANCH_TREE } })).status).toBe(200);
    const analyst = await createTestUser(platform, { role: 'analyst', orgUnits: ['hq'], email: 'analyst@example.com' });
    analystEmail = analyst.email;
    // The analyst's own phone, where a campaign's test message goes.
    expect((await platform.api('PATCH', `/admin/users/${analyst.userId}`, { body: { phone: '13800138999' } })).status).toBe(200);
    managerEmail = (await createTestUser(platform, { role: 'manager', orgUnits: ['n1'], email: 'manager.n1@example.com' })).email;
    adminEmail = (await createTestUser(platform, { role: 'admin', orgUnits: ['hq'], email: 'admin@example.com' })).email;
    browser = await launchChromium();
  }, 60_000);
  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it.each(['zh-CN', 'en'] as const)('the sign-in screen and the questionnaire list are accessible (%s)', async (lang) => {
    const context = await browser.newContext({ viewport: { width: 375, height: 800 }, locale: lang });
    const page = await context.newPage();
    await page.goto(`${platform.url}/console/`);
    await page.waitForSelector('input[name=email]');
    expect(await page.getAttribute('html', 'lang')).toBe(lang);
    await accessible(page, `sign-in ${lang}`);
    await screenshot(page, `sign-in-${lang}`);
    await context.close();

    const session = await signedIn(lang, 375);
    await session.page.waitForSelector('table');
    await accessible(session.page, `list ${lang}`);
    await screenshot(session.page, `surveys-${lang}`);
    await session.context.close();
  });

  it('builds, checks, previews and publishes a questionnaire from nothing', async () => {
    const { context, page } = await signedIn('en');
    await page.fill('form.inline input', 'console-csi');
    await page.click('form.inline button[type=submit]');
    await page.waitForSelector('#tree-title');

    const fill = (dataPath: string, value: string) => page.fill(`[data-path="${dataPath}"]`, value);
    await fill('title.zh-CN', '网点满意度');
    await fill('title.en', 'Branch satisfaction');
    // Two elements; the first with three questions in one indicator, the second with one.
    for (const element of [0, 1]) {
      await page.click('button:has-text("Add element")');
      await page.locator('.element').nth(element).locator('button:has-text("Add indicator")').click();
      for (let q = 0; q < (element === 0 ? 3 : 1); q++) await page.locator('.element').nth(element).locator('button:has-text("Add question")').click();
    }
    for (const [i, zh, en] of [[0, '服务', 'Service'], [1, '环境', 'Premises']] as const) {
      await fill(`index.elements[${i}].title.zh-CN`, zh);
      await fill(`index.elements[${i}].title.en`, en);
      await fill(`index.elements[${i}].indicators[0].title.zh-CN`, `${zh}指标`);
      await fill(`index.elements[${i}].indicators[0].title.en`, `${en} indicator`);
    }
    const questionTexts = [['柜员态度', 'Teller courtesy'], ['等候时间', 'Waiting time'], ['办理效率', 'Speed of service'], ['环境整洁', 'Cleanliness']];
    for (const [i, [zh, en]] of questionTexts.entries()) {
      await fill(`questions[${i}].text.zh-CN`, zh!);
      await fill(`questions[${i}].text.en`, en!);
    }
    // Before the AHP: a missing translation is marked where it is missing.
    await fill('questions[3].text.en', '');
    expect(await page.locator('label.missing').count()).toBeGreaterThan(0);
    await fill('questions[3].text.en', 'Cleanliness');
    await page.waitForSelector('.problems .ok');

    // AHP over the three questions of the first indicator: inconsistent first.
    const weights = page.locator('[data-weights="e0i0"]');
    await weights.locator('select').selectOption('ahp');
    const cells = weights.locator('input.cell');
    expect(await cells.count()).toBe(3);
    for (const [index, value] of ['9', '1/9', '9'].entries()) await cells.nth(index).fill(value);
    const result = weights.locator('[data-testid=ahp-result]');
    await expect.poll(() => result.textContent(), POLL).toMatch(/inconsistent/);
    expect(await result.getAttribute('class')).toBe('problem');
    // The server's own check says the same, at the weighting's field.
    expect(await page.locator('.problems li').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/AHP comparisons are inconsistent: CR = /)]));
    expect(await page.locator('button:has-text("Publish")').isDisabled()).toBe(true);
    await accessible(page, 'editor with an inconsistent matrix');
    await screenshot(page, 'editor-inconsistent');

    for (const [index, value] of ['2', '4', '2'].entries()) await cells.nth(index).fill(value);
    await expect.poll(() => result.textContent(), POLL).toMatch(/CR = 0\.000.*consistent/);
    // Moving a question moves its judgements with it: q2 first, so q2/q1 is 1/2, q2/q3 2, q1/q3 4.
    const cellValues = () => cells.evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
    await page.click('button[aria-label="Move down: q1"]');
    expect(await cellValues()).toEqual(['1/2', '2', '4']);
    await page.click('button[aria-label="Move up: q1"]');
    expect(await cellValues()).toEqual(['2', '4', '2']);
    await page.waitForSelector('.problems .ok');

    // The preview is the respondent page, in each language.
    const preview = page.frameLocator('.phone iframe');
    // The questionnaire's first language first.
    await expect.poll(() => preview.locator('body').textContent(), POLL).toContain('柜员态度');
    await page.click('.preview button:has-text("en")');
    await expect.poll(() => preview.locator('body').textContent(), POLL).toContain('Teller courtesy');
    await page.click('.preview button:has-text("zh-CN")');
    await expect.poll(() => preview.locator('body').textContent(), POLL).toContain('环境整洁');
    await page.click('.preview button:has-text("en")');
    await expect.poll(() => preview.locator('body').textContent(), POLL).toContain('Cleanliness');
    await accessible(page, 'editor, consistent');
    await screenshot(page, 'editor');

    await page.click('button:has-text("Save draft")');
    await page.waitForSelector('text=Saved (revision 1)');
    const draft = await platform.api('GET', '/admin/surveys/console-csi/draft');
    expect(draft.body.errors).toEqual([]);

    await page.click('button:has-text("Publish…")');
    await page.waitForSelector('.dialog .diff');
    expect(await page.locator('.dialog h2').textContent()).toBe('This is the first version.');
    await accessible(page, 'publish dialog');
    await page.click('.dialog button:has-text("Publish as version 1")');
    await page.waitForSelector('text=Version 1 (read-only)');
    const published = await platform.api('GET', '/admin/surveys/console-csi/versions/1');
    expect(published.status).toBe(200);
    expect(published.body.definition.index.elements[0].indicators[0].weighting).toEqual({ method: 'ahp', matrix: [['1', '2', '4'], ['1/2', '1', '2'], ['1/4', '1/2', '1']] });
    expect(await page.locator('input[data-path="questions[0].text.en"]').isDisabled()).toBe(true);
    await accessible(page, 'read-only version');

    await page.goto(`${platform.url}/console/#/surveys`);
    await page.waitForSelector('tr:has-text("console-csi")');
    expect(await page.locator('tr:has-text("console-csi") td').nth(1).textContent()).toBe('published');
    await context.close();
  });

  it('imports three contacts from a CSV with a fourth row rejected, and a manager sees only the branch', async () => {
    const { context, page } = await signedIn('en');
    await page.click('nav a:has-text("Contacts")');
    await page.waitForSelector('#contacts-title');
    const csv = 'name,phone,orgUnitId,externalId\n王小明,13800138001,n1,CRM-1\n李华,13800138002,s1,CRM-2\nNobody,+99912345,n1,CRM-3\n张伟,13800138003,n1,CRM-4\n';
    await page.setInputFiles('input[type=file]', { name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.waitForSelector('[data-testid=import-rows]');
    const statuses = await page.locator('[data-testid=import-rows] tbody tr td:nth-child(2)').allTextContents();
    expect(statuses).toEqual(['created', 'created', 'rejected', 'created']);
    expect(await page.locator('[data-testid=import-rows] tr.rejected td').nth(2).textContent()).toMatch(/\S/);
    await expect.poll(() => page.locator('[data-testid=contacts] tbody tr').count(), POLL).toBe(3);
    // The analyst has no pii: names and numbers are masked as the API answers them.
    expect(await page.locator('[data-testid=contacts]').textContent()).not.toContain('13800138001');
    await accessible(page, 'contacts after an import');
    await screenshot(page, 'contacts');
    await context.close();

    const manager = await signedIn('zh-CN', 1280, managerEmail);
    await manager.page.click('nav a[href="#/contacts"]');
    await expect.poll(() => manager.page.locator('[data-testid=contacts] tbody tr').count(), POLL).toBe(2);
    expect(await manager.page.locator('[data-testid=contacts] tbody td:nth-child(3)').allTextContents()).toEqual(['n1', 'n1']);
    // A manager may not import.
    expect(await manager.page.locator('input[type=file]').count()).toBe(0);
    await accessible(manager.page, 'contacts for a manager');
    await manager.context.close();
  });

  it('launches an SMS campaign from the console: the preview counts and prices it, the funnel reaches "sent" and "delivered", then "answered"; a manager sees only the branch\'s campaigns', async () => {
    const { context, page } = await signedIn('en');
    await page.click('nav a:has-text("Campaigns")');
    await page.click('a[href="#/campaigns/new"]');
    await page.waitForSelector('#new-campaign-title');
    await page.selectOption('#f-surveyId', 'console-csi');
    await page.fill('#f-signature', '示例银行');
    // A template without {link} is refused by the server's own validation, at the field.
    await page.fill('#f-template-zh-CN', '您好，请评价');
    await page.fill('#f-template-en', 'Please rate: {link}');
    await page.waitForSelector('.field:has(#f-template-zh-CN) .field-problems:has-text("{link}")', POLL);
    await page.fill('#f-template-zh-CN', '您好，请评价：{link}');
    await expect.poll(() => page.locator('[data-testid=audience-count]').textContent(), POLL).toBe('3 contacts now');
    // Masked: the analyst may not see personal data.
    expect(await page.locator('[data-testid=campaign-preview] table').textContent()).toMatch(/\+86138\*+\d{4}/);
    const text = (await page.locator('[data-testid=sms-text]').textContent())!;
    expect(text).toMatch(/^【示例银行】您好，请评价：http:\/\/.+\/s\/x+ 回T退订$/);
    // The figures are the domain's own count of that very text (three messages of it).
    const counted = smsSegments(text);
    const cost = (counted.segments * 3 * platform.deps.config.sms.segmentPrice).toFixed(2);
    expect(await page.locator('[data-testid=sms-cost]').textContent()).toBe(`${counted.encoding}, ${counted.segments} segment(s) per message; ${counted.segments * 3} segments in all, about ${cost} CNY`);
    expect(await page.locator('[data-testid=rules]').textContent()).toContain('21:00');
    await accessible(page, 'new campaign en');
    await screenshot(page, 'campaign-new');
    await page.click('button:has-text("Launch")');
    await page.waitForSelector('#campaign-title');
    const campaignId = /#\/campaigns\/(cmp_[0-9a-f]+)/.exec(page.url())?.[1];
    expect(campaignId).toBeDefined();
    expect((await platform.api('POST', '/admin/jobs/dispatch')).status).toBe(200);
    const sent = () => platform.outbox.list('sms').filter((message) => message.campaignId === campaignId);
    await expect.poll(() => sent().length, POLL).toBe(3);
    // Created after the first went out (its contacts are then skipped by the frequency cap, which does not matter here).
    const sms = { signature: '【示例银行】', template: { 'zh-CN': '您好，请评价：{link}', en: 'Please rate: {link}' }, marketing: false };
    const branch = await platform.api('POST', '/admin/campaigns', { body: { surveyId: 'console-csi', channel: 'sms', sms, segment: { orgUnitId: 'n1' } } });
    expect(branch.status, branch.text).toBe(201);


    const stage = (name: string) => page.locator(`[data-stage=${name}] dd`).textContent();
    await expect.poll(() => stage('sent'), POLL).toBe('3');
    // The local carrier's receipts: all three delivered, none undelivered.
    await expect.poll(() => stage('delivered'), POLL).toBe('3');
    expect(await stage('undelivered')).toBe('0');
    expect(await stage('answered')).toBe('0');
    await accessible(page, 'campaign status');
    await screenshot(page, 'campaign');

    const token = /\/s\/([A-Za-z0-9_-]+)/.exec(sent()[0]!.body)?.[1];
    const answered = await platform.api('POST', `/s/${token}`, { token: null, body: { answers: { q1: 5, q2: 4, q3: 4, q4: 5 } } });
    expect(answered.status, answered.text).toBe(201);
    // The page refreshes itself while it is open.
    await expect.poll(() => stage('answered'), { timeout: 15_000 }).toBe('1');
    // The outbox is an admin's page: its bodies hold names and working links of every unit.
    expect(await page.locator('nav a:has-text("SMS outbox")').count()).toBe(0);
    await context.close();

    // The local outbox: the three messages, numbers masked for an admin without pii; a reply goes to the platform.
    const admin = await signedIn('en', 1280, adminEmail);
    await admin.page.click('nav a:has-text("SMS outbox")');
    await admin.page.waitForSelector('[data-testid=outbox]');
    expect(await admin.page.locator('[data-testid=outbox] > li').count()).toBe(3);
    expect(await admin.page.locator('[data-testid=outbox]').textContent()).toContain('+86138****800');
    await accessible(admin.page, 'outbox');
    await screenshot(admin.page, 'outbox');
    await admin.page.locator('[data-testid=outbox] > li').first().locator('input[name=body]').fill('TD');
    await admin.page.locator('[data-testid=outbox] > li').first().locator('button[type=submit]').click();
    await admin.page.waitForSelector('text=Reply received: opted-out');
    await admin.context.close();

    const manager = await signedIn('en', 1280, managerEmail);
    await manager.page.click('nav a:has-text("Campaigns")');
    await manager.page.waitForSelector('[data-testid=campaigns]');
    const listed = await manager.page.locator('[data-testid=campaigns] tbody a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(listed).toEqual([`#/campaigns/${branch.body.campaignId}`]);
    await manager.context.close();
  });

  it('sends a test message of a campaign being made to one\'s own phone, and takes its own quiet hours only where they leave time to send', async () => {
    const { context, page } = await signedIn('en');
    await page.goto(`${platform.url}/console/#/campaigns/new`);
    await page.waitForSelector('#new-campaign-title');
    await page.selectOption('#f-surveyId', 'console-csi');
    await page.fill('#f-signature', '示例银行');
    await page.fill('#f-template-zh-CN', '您好，请评价：{link}');
    await page.fill('#f-template-en', 'Please rate: {link}');
    // With the platform's 21:00-08:00, 07:00-22:00 leaves no time: refused at the field.
    await page.fill('#f-quietStart', '07:00');
    await page.fill('#f-quietEnd', '22:00');
    await page.waitForSelector('.field:has(#f-quietStart) .field-problems:has-text("no time of day")', POLL);
    await page.fill('#f-quietEnd', '09:00');
    await page.waitForSelector('[data-testid=rules]:has-text("This campaign also waits out 07:00-09:00.")', POLL);
    await page.click('button:has-text("Send a test to +8613800138999")');
    await page.waitForSelector('[data-testid=test-send-result]:has-text("Sent to +86138****8999")', POLL);
    const [message] = platform.outbox.list('sms').filter((m) => m.to === '+8613800138999');
    expect(message?.body).toBe(`【示例银行】您好，请评价：${platform.url}/console#/surveys/console-csi/versions/1 回T退订`);
    await accessible(page, 'test send');
    await context.close();
  });

  it('makes a link campaign for picked contacts and offers its links as a CSV; the page is accessible in Chinese too', async () => {
    const { context, page } = await signedIn('zh-CN');
    await page.goto(`${platform.url}/console/#/campaigns/new`);
    await page.waitForSelector('#new-campaign-title');
    await page.check('input[name=channel][value=link]');
    await page.check('input[name=audience][value=list]');
    await expect.poll(() => page.locator('[data-testid=contact-picker] li').count(), POLL).toBe(3);
    await page.locator('[data-testid=contact-picker] li input').nth(0).check();
    await page.locator('[data-testid=contact-picker] li input').nth(1).check();
    await expect.poll(() => page.locator('[data-testid=audience-count]').textContent(), POLL).toBe('当前 2 位客户');
    await accessible(page, 'new link campaign zh-CN');
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=links]');
    expect(await page.locator('[data-testid=links] tbody tr').count()).toBe(2);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=links-csv]')]);
    const { readFile } = await import('node:fs/promises');
    const csv = await readFile((await download.path())!, 'utf8');
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('invitationId,orgUnitId,name,contact,link');
    expect(lines).toHaveLength(3);
    // A number starts with "+", so the cell carries the apostrophe that keeps spreadsheets from reading a formula.
    for (const line of lines.slice(1)) expect(line).toMatch(/^inv_\w+,(n1|s1),[^,]*,'\+86138\*+\d{4},http:\/\/[^,]+\/s\/[A-Za-z0-9_-]+$/);
    // The links work: each opens its questionnaire.
    const link = lines[1]!.split(',').at(-1)!;
    expect((await fetch(link)).status).toBe(200);
    await accessible(page, 'links zh-CN');
    await screenshot(page, 'campaign-links');
    await context.close();
  });

  it('shows the organisation with its managers; an admin imports units from a CSV, renames and moves one; a manager sees the branch only', async () => {
    const { context, page } = await signedIn('en', 1280, adminEmail);
    await page.click('nav a:has-text("Organisation")');
    await page.waitForSelector('[data-unit=n1]');
    expect(await page.locator('[data-unit=n1]').textContent()).toContain('Managers: Test manager');
    await page.setInputFiles('input[type=file]', { name: 'units.csv', mimeType: 'text/csv', buffer: Buffer.from('id,name,parentId\nn1a,Counter A,n1\nn1b,Counter B,n1\n') });
    await page.waitForSelector('[data-testid=org-done]:has-text("Imported 2 units")');
    const order = () => page.locator('[data-testid=org-tree] li').evaluateAll((items) => items.map((li) => li.getAttribute('data-unit')));
    expect((await order()).join(' ')).toContain('n1 n1a n1b');
    expect(await page.locator('[data-unit=n1a]').evaluate((li) => li.parentElement?.closest('li')?.getAttribute('data-unit'))).toBe('n1');
    // A file that would break the tree is refused whole, its row named.
    await page.setInputFiles('input[type=file]', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('id,name,parentId\nn1c,Counter C,n1\nn1d,Counter D,nowhere\n') });
    await page.waitForSelector('[data-testid=org-problem]:has-text("row 2.parentId")');
    expect(await order()).not.toContain('n1c');
    await page.click('[data-unit=n1a] button:has-text("Rename")');
    await page.fill('[data-unit=n1a] input[name=name]', 'Counter A (VIP)');
    await page.click('[data-unit=n1a] form button[type=submit]');
    await page.waitForSelector('[data-unit=n1a] strong:has-text("Counter A (VIP)")');
    await page.click('[data-unit=n1b] button:has-text("Move")');
    // Nowhere inside its own subtree is offered.
    expect(await page.locator('[data-unit=n1b] select option[value=n1b]').count()).toBe(0);
    await page.selectOption('[data-unit=n1b] select', 'north');
    await page.click('[data-unit=n1b] form button[type=submit]');
    // Nested lists: the unit now sits in north's list, and the markup says so.
    await expect.poll(() => page.locator('[data-unit=n1b]').evaluate((li) => li.parentElement?.closest('li')?.getAttribute('data-unit')), POLL).toBe('north');
    // Focus returns to the moved unit's actions, not to the page's start.
    expect(await page.evaluate(() => document.activeElement?.closest('li')?.getAttribute('data-unit'))).toBe('n1b');
    expect(await platform.deps.store.listOrgUnits()).toContainEqual(expect.objectContaining({ id: 'n1b', parentId: 'north' }));
    await accessible(page, 'organisation en');
    await screenshot(page, 'organisation');
    await context.close();

    const manager = await signedIn('zh-CN', 375, managerEmail);
    await manager.page.click('nav a[href="#/organisation"]');
    await manager.page.waitForSelector('[data-unit=n1]');
    expect(await manager.page.locator('[data-testid=org-tree] li').evaluateAll((items) => items.map((li) => li.getAttribute('data-unit')))).toEqual(['n1', 'n1a']);
    expect(await manager.page.locator('[data-testid=org-tree] button').count()).toBe(0);
    expect(await manager.page.locator('input[type=file]').count()).toBe(0);
    await accessible(manager.page, 'organisation zh-CN');
    await manager.context.close();
  });

  it('imports service events from a CSV row by row and shows the month\'s events and the compliance the computation stored', async () => {
    const declared = await platform.api('POST', '/admin/commitments', {
      body: { commitments: [{ id: 'repair.handle', title: { 'zh-CN': '6小时内处理故障', en: 'Faults handled within 6 hours' }, eventType: 'repair', from: 'reportedAt', to: 'handledAt', target: 'PT6H' }] },
    });
    expect(declared.status, declared.text).toBe(200);
    const { context, page } = await signedIn('en');
    await page.click('nav a:has-text("Events")');
    await page.waitForSelector('[data-commitment="repair.handle"]');
    await expect.poll(() => page.inputValue('#events-period'), POLL).toBe('2026-11'); // the platform's month, not the browser's
    await page.waitForSelector('text=Not computed for this month yet');
    const csv = [
      'eventId,type,orgUnitId,name,phone,occurredAt,reportedAt,handledAt',
      'R-1,repair,n1,赵一,13800138101,2026-11-02T08:00:00+08:00,2026-11-02T08:00:00+08:00,2026-11-02T12:00:00+08:00',
      'R-2,repair,n1,钱二,13800138102,2026-11-03T09:00:00+08:00,2026-11-03T09:00:00+08:00,2026-11-03T17:00:00+08:00',
      'R-3,repair,nowhere,孙三,13800138103,2026-11-04T09:00:00+08:00,2026-11-04T09:00:00+08:00,',
    ].join('\n');
    await page.setInputFiles('input[type=file]', { name: 'events.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await expect.poll(() => page.locator('[data-testid=event-import-rows] tbody tr td:nth-child(3)').allTextContents(), POLL).toEqual(['created', 'created', 'rejected']);
    expect(await page.locator('[data-testid=event-import-rows] tr.rejected td').nth(3).textContent()).toContain('nowhere');
    expect((await platform.api('POST', '/admin/jobs/compute-indices', { body: { period: '2026-11' } })).status).toBeLessThan(300);
    await page.selectOption('#events-unit', 'north');
    await expect.poll(() => page.locator('[data-testid=events] tbody tr td:first-child code').allTextContents(), POLL).toEqual(['R-2', 'R-1']);
    // 4 h met, 8 h missed: half of them, median 6 h.
    await expect.poll(() => page.locator('[data-commitment="repair.handle"] td').nth(2).textContent(), POLL).toBe('50.0 % (1/2)');
    expect(await page.locator('[data-commitment="repair.handle"] td').nth(3).textContent()).toMatch(/^6\.0 h \/ /);
    await accessible(page, 'events en');
    await screenshot(page, 'events');
    await context.close();

    const manager = await signedIn('zh-CN', 375, managerEmail);
    await manager.page.click('nav a[href="#/events"]');
    await expect.poll(() => manager.page.locator('[data-testid=events] tbody tr').count(), POLL).toBe(2);
    expect(await manager.page.locator('input[type=file]').count()).toBe(0);
    await accessible(manager.page, 'events zh-CN');
    await manager.context.close();
  });

  it('lets an admin erase a person from the contacts page after a confirmation; an analyst without pii is not offered it', async () => {
    const analyst = await signedIn('en');
    await analyst.page.click('nav a:has-text("Contacts")');
    await analyst.page.waitForSelector('[data-testid=contacts] tbody tr');
    expect(await analyst.page.locator('[data-testid=contacts] button:has-text("Erase")').count()).toBe(0);
    await analyst.context.close();

    const { context, page } = await signedIn('en', 1280, adminEmail);
    await page.click('nav a:has-text("Contacts")');
    await page.waitForSelector('[data-testid=contacts] tbody tr');
    const before = await page.locator('[data-testid=contacts] tbody tr').count();
    const first = page.locator('[data-testid=contacts] tbody tr').first();
    const shown = (await first.locator('td').first().textContent())!;
    await first.locator('button:has-text("Erase")').click();
    await accessible(page, 'contacts erase confirmation');
    await first.locator('button:has-text("Erase for good")').click();
    await page.waitForSelector('[data-testid=erased]:has-text("Erased: 1 contact(s)")');
    await expect.poll(() => page.locator('[data-testid=contacts] tbody tr').count(), POLL).toBe(before - 1);
    expect(await page.locator('[data-testid=contacts] tbody tr td:first-child').allTextContents()).not.toContain(shown);
    await context.close();
  });

  it.each(['zh-CN', 'en'] as const)('has no axe violation on any page (%s), with nothing sideways at 375 px', async (lang) => {
    const { body } = await platform.api('GET', '/admin/campaigns?limit=1');
    const campaignId = body.campaigns[0].campaignId as string;
    const { context, page } = await signedIn(lang, 375, adminEmail);
    const pages: [string, string][] = [
      ['#/surveys', '#surveys-title'],
      ['#/surveys/console-csi/versions/1', '.editor'],
      ['#/organisation', '[data-testid=org-tree]'],
      ['#/contacts', '[data-testid=contacts]'],
      ['#/campaigns', '[data-testid=campaigns]'],
      ['#/campaigns/new', '[data-testid=campaign-problems], [data-testid=audience-count]'],
      [`#/campaigns/${campaignId}`, '[data-testid=funnel]'],
      ['#/events', '[data-testid=compliance]'],
      ['#/outbox', '[data-testid=outbox]'],
    ];
    for (const [hash, ready] of pages) {
      await page.goto(`${platform.url}/console/${hash}`);
      await page.waitForSelector(ready, POLL);
      expect(await page.getAttribute('html', 'lang'), hash).toBe(lang);
      await accessible(page, `${hash} ${lang}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `${hash} at 375 px`).toBeLessThanOrEqual(375);
    }
    await context.close();
  });
});
