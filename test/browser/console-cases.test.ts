/// <reference lib="dom" />
/**
 * The case inbox and the case page in Debian's Chromium against the real local platform
 * (dynalite), cases opened through the real HTTP routes: two low scores a working day apart (the
 * first overdue by the time the second comes), a branch manager who sees them overdue first, opens
 * one, acknowledges it, is stopped at the root-cause field, resolves it and sees the timeline grow;
 * a stale version (the case changed through the API meanwhile) is a 409 the page says and reads
 * the case again; an agent sees only the case assigned to them and logs one by hand. axe on the
 * inbox and the case page in both languages, nothing sideways at 375 px, screenshots at 375 and
 * 1280 px to CONSOLE_SCREENSHOTS (default: the system's temporary directory).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { haveBrowser, launchChromium } from '../helpers/browser';
import { accessible, POLL, screenshot } from '../helpers/console-browser';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform';
import { BRANCH_TREE, createTestUser, TEST_PASSWORD, type TestUser } from '../helpers/users';

// Monday 2026-11-09 10:00 in Shanghai; the first contact (P1D: 8.5 working hours) is due Tuesday 10:00.
const MONDAY_10 = new Date('2026-11-09T02:00:00Z');
// Tuesday 12:00 in Shanghai: the first case is overdue, the second opens now. The clock stays here
// (the browser's sign-in tokens are minted at the platform's time).
const TUESDAY_12 = new Date('2026-11-10T04:00:00Z');

const alerts = [
  {
    id: 'low-score',
    when: { any: [{ question: 'q4', atMost: 2 }] },
    priority: 'high',
    sla: { firstContact: 'P1D', resolve: 'P5D', calendar: 'working-days' },
    owner: 'manager',
  },
];

let browser: Browser;
let platform: TestPlatform;
let manager: TestUser;
let agent: TestUser;
/** Opened Monday (overdue by Tuesday noon) and Tuesday. */
let overdueCase: string;
let freshCase: string;
const pageErrors: string[] = [];

async function lowScore(phone: string): Promise<void> {
  const created = await platform.api('POST', '/admin/campaigns', { body: { surveyId: 'mini-csi', channel: 'link', contacts: [{ name: '张三', phone, orgUnitId: 'n1' }] } });
  expect(created.status, created.text).toBe(201);
  const token = (created.body.invitations as { token: string }[])[0]!.token;
  const submitted = await platform.api('POST', `/s/${token}`, { token: null, body: { answers: { q1: 4, q4: 1 }, lang: 'zh-CN' } });
  expect(submitted.status, submitted.text).toBe(201);
}

/** Signs `user` in (the console's own sign-in form) and waits for `ready`. */
async function signIn(user: TestUser, lang: 'zh-CN' | 'en', width = 1280, ready = '#surveys-title'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: lang });
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${platform.url}/console/`);
  await page.fill('input[name=email]', user.email);
  await page.fill('input[name=password]', TEST_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector(ready);
  return { context, page };
}

const listed = (page: Page) => page.locator('[data-testid=cases] > li').evaluateAll((items) => items.map((item) => item.getAttribute('data-case-id')));
const timelineLength = (page: Page) => page.locator('[data-testid=timeline] > li').count();
const stateShown = (page: Page) => page.locator('[data-testid=case-state]').textContent();
const caseVersion = async (caseId: string) => (await platform.api('GET', `/admin/cases/${caseId}`)).body.version as number;

describe.skipIf(!haveBrowser)('the cases in the console', () => {
  beforeAll(async () => {
    platform = await startTestPlatform(MONDAY_10);
    expect((await platform.api('POST', '/admin/org-units', { body: { units: BRANCH_TREE } })).status).toBe(200);
    expect((await platform.api('POST', '/admin/surveys', { body: { ...fixture('mini-csi.yaml'), alerts } })).status).toBe(201);
    manager = await createTestUser(platform, { role: 'manager', orgUnits: ['n1'], email: 'manager.cases@example.com' });
    agent = await createTestUser(platform, { role: 'agent', orgUnits: ['n1'], email: 'agent.cases@example.com' });
    await lowScore('+8613800000101');
    overdueCase = (await platform.api('GET', '/admin/cases')).body.cases[0].caseId as string;
    platform.clock.freeze(TUESDAY_12);
    await lowScore('+8613800000102');
    // The timers note the missed first contact on the first case's timeline.
    expect((await platform.api('POST', '/admin/jobs/case-timers', { body: {} })).body).toMatchObject({ overdue: 1 });
    const open = (await platform.api('GET', '/admin/cases')).body.cases as { caseId: string; overdue: boolean }[];
    expect(open.map((c) => c.overdue)).toEqual([true, false]);
    freshCase = open.find((c) => c.caseId !== overdueCase)!.caseId;
    browser = await launchChromium();
  }, 60_000);
  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('lists a branch manager\'s cases overdue first, with the filters', async () => {
    const { context, page } = await signIn(manager, 'en');
    await page.click('nav a[href="#/cases"]');
    await page.waitForSelector('[data-testid=cases]');
    expect(await page.getAttribute('nav a[href="#/cases"]', 'aria-current')).toBe('page');
    // Opened Monday and overdue, before Tuesday's, though the naive order (newest first) is the other.
    expect(await listed(page)).toEqual([overdueCase, freshCase]);
    const first = page.locator(`[data-case-id="${overdueCase}"]`);
    expect(await first.locator('.badge.overdue').textContent()).toBe('Overdue');
    expect(await first.textContent()).toContain('q4 = 1 (at most 2)');
    expect(await first.textContent()).toContain('Priority: high');
    expect(await page.locator(`[data-case-id="${freshCase}"] .badge.overdue`).count()).toBe(0);
    // Its next deadline, in Shanghai time: the first contact, Wednesday 12:00.
    expect(await page.locator(`[data-case-id="${freshCase}"]`).textContent()).toContain('First contact by: 2026-11-11 12:00');
    await accessible(page, 'inbox en');

    await page.click('button:has-text("My units\' cases")');
    expect(await page.getAttribute('button:has-text("My units\' cases")', 'aria-pressed')).toBe('true');
    await expect.poll(() => listed(page), POLL).toEqual([overdueCase, freshCase]);
    await page.check('input[name=overdue]');
    await expect.poll(() => listed(page), POLL).toEqual([overdueCase]);
    await page.uncheck('input[name=overdue]');
    await page.selectOption('select[name=state]', 'closed');
    // Closed cases need a month: said at the field, nothing asked.
    await page.waitForSelector('#case-period-problems:has-text("choose a month")');
    await page.selectOption('select[name=state]', 'new');
    await expect.poll(() => listed(page), POLL).toEqual([overdueCase, freshCase]);
    await screenshot(page, 'cases-inbox-en');
    await context.close();
  });

  it('shows a case with its reason and response, and works it to resolved', async () => {
    const { context, page } = await signIn(manager, 'en');
    await page.goto(`${platform.url}/console/#/cases`);
    await page.click(`[data-case-id="${overdueCase}"] a`);
    await page.waitForSelector('#case-title');
    expect(await page.locator('[data-testid=case-reasons]').textContent()).toContain('q4 = 1 (at most 2)');
    expect(await page.locator('[data-testid=case-response]').textContent()).toMatch(/q4\s*1/);
    expect(await page.locator('[data-testid=case-contact]').textContent()).toBe('张* · +86138****0101');
    expect(await page.locator('[data-fact=overdue]').textContent()).toContain('Yes, overdue');
    expect(await page.locator('[data-fact=opened]').textContent()).toContain('2026-11-09 10:00');
    expect(await page.locator('[data-fact=owner]').textContent()).toContain('you');
    expect(await stateShown(page)).toBe('new');
    // Opened, then the missed first contact the timers noted.
    expect(await page.locator('[data-testid=timeline] > li').evaluateAll((items) => items.map((item) => item.getAttribute('data-type')))).toEqual(['opened', 'overdue']);
    // The buttons are the case's `actions`, for its owner in state new.
    expect(await page.locator('[data-testid=case-actions] button').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-action')))).toEqual(['acknowledge', 'comment', 'assign', 'start', 'resolve']);
    await accessible(page, 'case page en');

    await page.click('button[data-action=acknowledge]');
    await page.waitForSelector('[data-testid=case-action-status]:has-text("Done: Acknowledge")');
    expect(await stateShown(page)).toBe('acknowledged');
    expect(await timelineLength(page)).toBe(3);
    expect(await page.locator('[data-fact=first-contact]').textContent()).toContain('2026-11-10 12:00');

    // Resolving without a root cause: stopped at the field, nothing sent.
    await page.fill('#case-note', '已致电客户并道歉');
    await page.click('button[data-action=resolve]');
    await page.waitForSelector('#case-root-cause-problems:has-text("Resolving needs a root cause")');
    expect(await page.getAttribute('#case-root-cause', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#case-root-cause', 'aria-describedby')).toBe('case-root-cause-problems');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('case-root-cause');
    expect(await timelineLength(page)).toBe(3);
    await accessible(page, 'case page, root cause missing');

    // The root causes of the case settings, labelled in the page's language.
    await page.selectOption('#case-root-cause', { label: 'Waiting time' });
    await page.click('button[data-action=resolve]');
    await page.waitForSelector('[data-testid=case-action-status]:has-text("Done: Resolve")');
    expect(await stateShown(page)).toBe('resolved');
    expect(await timelineLength(page)).toBe(4);
    const last = page.locator('[data-testid=timeline] > li').last();
    expect(await last.getAttribute('data-type')).toBe('resolve');
    expect(await last.textContent()).toContain('Root cause: Waiting time');
    expect(await last.textContent()).toContain('已致电客户并道歉');
    expect(await page.locator('[data-fact=root-cause]').textContent()).toContain('Waiting time');
    expect(await page.locator('#case-root-cause-problems').count()).toBe(0);
    expect(await page.locator('[data-testid=case-actions] button').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-action')))).toEqual(['comment', 'assign', 'close', 'reopen']);
    const stored = await platform.api('GET', `/admin/cases/${overdueCase}`);
    expect(stored.body).toMatchObject({ state: 'resolved', rootCause: 'waiting-time', resolution: '已致电客户并道歉' });
    await screenshot(page, 'case-resolved-en');
    await context.close();
  });

  it('says a stale version is a conflict and reads the case again, keeping the note', async () => {
    const { context, page } = await signIn(manager, 'en');
    await page.goto(`${platform.url}/console/#/cases/${freshCase}`);
    await page.waitForSelector('#case-title');
    const before = await timelineLength(page);
    // Meanwhile, someone else comments through the API on the version the page read.
    const token = (await platform.tokens.forUser((await platform.deps.store.getUser(manager.userId))!)).token;
    const elsewhere = await platform.api('POST', `/admin/cases/${freshCase}/events`, { token, body: { type: 'comment', note: '客户已在电话中说明情况', version: await caseVersion(freshCase) } });
    expect(elsewhere.status, elsewhere.text).toBe(200);
    await page.fill('#case-note', '已安排回访');
    await page.click('button[data-action=comment]');
    await page.waitForSelector('[data-testid=case-action-status]:has-text("The case changed since you read it")');
    expect(await page.getAttribute('[data-testid=case-action-status]', 'class')).toBe('problem');
    // Read again: the other comment shows; the note typed here is kept, and goes with the new version.
    await expect.poll(() => timelineLength(page), POLL).toBe(before + 1);
    expect(await page.locator('[data-testid=timeline]').textContent()).toContain('客户已在电话中说明情况');
    expect(await page.inputValue('#case-note')).toBe('已安排回访');
    await page.click('button[data-action=comment]');
    await page.waitForSelector('[data-testid=case-action-status]:has-text("Done: Comment")');
    expect(await timelineLength(page)).toBe(before + 2);
    expect(await page.locator('[data-testid=timeline] > li').last().textContent()).toContain('已安排回访');
    await accessible(page, 'case page after a conflict');

    // Assigned to the agent from the page.
    await page.fill('#case-assignee', agent.userId);
    await page.click('button[data-action=assign]');
    await page.waitForSelector('[data-testid=case-action-status]:has-text("Done: Assign")');
    expect(await page.locator('[data-fact=assignee]').textContent()).toContain(agent.userId);
    await context.close();
  });

  it('shows an agent only the cases assigned to them, and lets them log one by hand', async () => {
    // An agent has no questionnaires: the console opens on the case inbox.
    const { context, page } = await signIn(agent, 'en', 375, '#cases-title');
    expect(await page.getAttribute('nav a[href="#/cases"]', 'aria-current')).toBe('page');
    await page.waitForSelector('[data-testid=cases]');
    expect(await listed(page)).toEqual([freshCase]);
    // Nobody's units but their own cases: no choice of whose.
    expect(await page.locator('button:has-text("My units\' cases")').count()).toBe(0);
    await page.click(`[data-case-id="${freshCase}"] a`);
    await page.waitForSelector('#case-title');
    expect(await page.locator('[data-testid=case-actions] button').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-action')))).toEqual(['acknowledge', 'comment', 'start', 'resolve']);
    expect(await page.locator('#case-assignee').count()).toBe(0);
    await page.click('button[data-action=start]');
    await page.waitForSelector('[data-testid=case-action-status]:has-text("Done: Start work")');
    expect(await stateShown(page)).toBe('in progress');
    await accessible(page, 'agent case page');
    // A case not assigned to them is refused.
    await page.goto(`${platform.url}/console/#/cases/${overdueCase}`);
    await page.waitForSelector('p[role=alert].problem');

    await page.goto(`${platform.url}/console/#/cases`);
    await page.waitForSelector('[data-testid=cases]');
    await page.click('summary:has-text("Log a case by hand")');
    await page.click('button:has-text("Log the case")');
    await page.waitForSelector('#new-case-note-problems:has-text("Write a note")');
    await accessible(page, 'agent inbox with the case form');
    await page.fill('textarea[name=note]', '客户来电投诉排队时间过长');
    await page.fill('input[name=name]', '李四');
    await page.fill('input[name=phone]', '+8613800000199');
    await page.click('button:has-text("Log the case")');
    await page.waitForSelector('#case-title');
    expect(await page.locator('[data-fact=source]').textContent()).toContain('Logged by hand');
    expect(await page.locator('[data-testid=case-contact]').textContent()).toBe('李* · +86138****0199');
    expect(await page.locator('[data-fact=assignee]').textContent()).toContain('you');
    expect(await page.locator('[data-testid=timeline]').textContent()).toContain('客户来电投诉排队时间过长');
    await page.goto(`${platform.url}/console/#/cases`);
    await expect.poll(() => listed(page).then((ids) => ids.length), POLL).toBe(2);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await screenshot(page, 'cases-agent-en');
    await context.close();
  });

  it.each(['zh-CN', 'en'] as const)('has no axe violation on the inbox and the case page (%s), nothing sideways at 375 px', async (lang) => {
    const { context, page } = await signIn(manager, lang, 375);
    for (const [hash, ready] of [
      ['#/cases', '[data-testid=cases]'],
      [`#/cases/${overdueCase}`, '[data-testid=timeline]'],
      [`#/cases/${freshCase}`, '[data-testid=case-actions]'],
    ] as const) {
      await page.goto(`${platform.url}/console/${hash}`);
      await page.waitForSelector(ready, POLL);
      expect(await page.getAttribute('html', 'lang'), hash).toBe(lang);
      await accessible(page, `${hash} ${lang}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `${hash} at 375 px`).toBeLessThanOrEqual(375);
    }
    await screenshot(page, `case-${lang}`);
    await page.goto(`${platform.url}/console/#/cases`);
    await page.waitForSelector('[data-testid=cases]');
    await screenshot(page, `cases-inbox-${lang}`);
    await context.close();
  });
});
