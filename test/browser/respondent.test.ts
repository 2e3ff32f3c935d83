/// <reference lib="dom" />
/**
 * The respondent's page in a real browser (Debian's Chromium driven by playwright-core) at phone
 * size: no accessibility violations (axe-core, WCAG 2.1 A and AA rules), no horizontal scrolling,
 * touch targets of at least 44 px, and a complete answer by tapping and submitting the form.
 *
 * CI installs Chromium (.ci/run); on a machine without it the suite is skipped locally but fails
 * under CI=true, so a missing browser can never pass silently there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, CHROMIUM, haveBrowser } from '../helpers/browser';
import type { Browser, Page } from 'playwright-core';
import { fixture, startTestPlatform, type TestPlatform } from '../helpers/platform';


let platform: TestPlatform;
let browser: Browser;


describe.skipIf(!haveBrowser)('the respondent page in a phone browser', () => {
  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    platform = await startTestPlatform();
    expect((await platform.api('POST', '/admin/surveys', { body: fixture('mini-csi.yaml') })).status).toBe(201);
    expect((await platform.api('POST', '/admin/org-units', { body: { units: [{ id: 'hq', name: 'HQ' }] } })).status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  async function openInvitation(locale: string): Promise<{ page: Page; token: string }> {
    const campaign = await platform.api('POST', '/admin/campaigns', { body: { surveyId: 'mini-csi', channel: 'link', contacts: [{ orgUnitId: 'hq' }] } });
    const token = campaign.body.invitations[0].token as string;
    // bypassCSP lets the test inject axe; the page itself forbids every script.
    const context = await browser.newContext({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${platform.url}/s/${token}`);
    return { page, token };
  }

  it.each(['zh-CN', 'en-US'])('has no accessibility violations and fits a 375 px screen (%s)', async (locale) => {
    const { page } = await openInvitation(locale);
    expect(await page.getAttribute('html', 'lang')).toBe(locale === 'en-US' ? 'en' : 'zh-CN');
    expect(await axeViolations(page)).toEqual([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // Every answer option is a comfortable touch target.
    const sizes = await page.$$eval('.opt > span', (spans) => spans.map((s) => s.getBoundingClientRect()).map((r) => ({ width: r.width, height: r.height })));
    expect(sizes.length).toBeGreaterThan(20);
    expect(sizes.filter((r) => r.height < 44 || r.width < 44)).toEqual([]);
    await page.context().close();
  });

  it('is answered by tapping, shows errors accessibly, and thanks the respondent', async () => {
    const { page, token } = await openInvitation('en-US');
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.waitForURL(`**/s/${token}`);
    const alert = page.getByRole('alert');
    expect(await alert.textContent()).toContain('Please check the following');
    expect(await axeViolations(page)).toEqual([]);

    await page.locator('fieldset', { hasText: 'Were the staff professional?' }).getByText('4', { exact: true }).click();
    await page.locator('fieldset', { hasText: 'Channel used' }).getByText('Mobile app').click();
    await page.getByLabel(/Other comments/).fill('服务很好');
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.waitForURL(`**/s/${token}/thanks**`);
    expect(await page.textContent('h1')).toBe('Thank you');
    expect(await axeViolations(page)).toEqual([]);
    expect((await platform.deps.store.getResponse(token))?.answers).toEqual({ q1: 4, channel: 'app', comment: '服务很好' });
    await page.context().close();
  });

  it('weighs little: the page is small and loads no script', async () => {
    const { page } = await openInvitation('zh-CN');
    const html = await page.content();
    expect(Buffer.byteLength(html)).toBeLessThan(30_000);
    expect(await page.$$eval('script', (scripts) => scripts.length)).toBe(0);
    await page.context().close();
  });
});
