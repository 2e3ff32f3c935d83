/// <reference lib="dom" />
/**
 * The executive's summary page and its detail pages through the local platform, in Debian's
 * Chromium: thirteen months of the demo bank (so the same month a year earlier is there), read at
 * 375 and 1280 px. No axe violation (WCAG 2.1 A and AA), nothing sideways, the summary within
 * about two screens at 1280 x 800, and its figures those of the JSON report. Screenshots go to the
 * system temp dir for review.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { axeViolations, haveBrowser, launchChromium } from '../helpers/browser';
import { startTestPlatform, type TestPlatform } from '../helpers/platform';
import { DEMO_SURVEY_ID, seedDemo } from '../../functions/local/demo';
import type { UnitReport } from '../../functions/app/report-model';

let platform: TestPlatform;
let browser: Browser;
let report: UnitReport;
const PERIOD = '2026-11';

beforeAll(async () => {
  platform = await startTestPlatform(new Date('2026-11-20T02:00:00Z'), { surveysDir: join(import.meta.dirname, '../../surveys') });
  await seedDemo(platform, { months: 13, perMonth: 30 });
  platform.clock.freeze(new Date('2026-11-20T02:00:00Z'));
  const res = await platform.api('GET', `/admin/reports/${DEMO_SURVEY_ID}?period=${PERIOD}&orgUnit=hq`);
  expect(res.status, res.text).toBe(200);
  report = res.body;
  if (haveBrowser) browser = await launchChromium();
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await platform?.stop();
});

async function open(context: BrowserContext, query: string) {
  const res = await platform.api('GET', `/admin/reports/${DEMO_SURVEY_ID}?period=${PERIOD}&${query}`, { headers: { accept: 'text/html' } });
  expect(res.status, res.text.slice(0, 300)).toBe(200);
  const page = await context.newPage();
  await page.setContent(res.text);
  return page;
}

describe('the report summary (JSON figures)', () => {
  it('has the year-earlier comparison and the interval it shows', () => {
    expect(report.significance?.yearEarlier).toEqual({ period: '2025-11' });
    expect(report.csiCi95).toEqual([expect.any(Number), expect.any(Number)]);
    expect(report.trend).toHaveLength(24);
  });
});

describe.skipIf(!haveBrowser)('the report summary in Chromium', () => {
  it.each([
    ['zh-CN', 375],
    ['en', 375],
    ['zh-CN', 1280],
    ['en', 1280],
  ] as const)('%s at %i px: accessible, nothing sideways, the JSON figures', async (lang, width) => {
    const context = await browser.newContext({ viewport: { width, height: 800 }, locale: lang, bypassCSP: true });
    const page = await open(context, `orgUnit=hq&lang=${lang}`);
    await page.screenshot({ path: join(tmpdir(), `report-summary-${lang}-${width}.png`), fullPage: true });
    await page.locator('section[aria-labelledby="trend-title"]').screenshot({ path: join(tmpdir(), `report-summary-trend-${lang}-${width}.png`) });
    expect(await axeViolations(page)).toEqual([]);
    const size = await page.evaluate(() => ({ width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight }));
    expect(size.width).toBeLessThanOrEqual(width);
    // About two screens at 1280 x 800.
    if (width === 1280) expect(size.height).toBeLessThanOrEqual(2 * 800 + 200);

    // The figures are the JSON report's.
    expect(await page.locator('.big').textContent()).toBe(report.csi!.toFixed(1));
    const csiCard = (await page.locator('section[aria-labelledby="csi-title"]').textContent()) ?? '';
    expect(csiCard).toContain(`${report.csiCi95![0].toFixed(1)}–${report.csiCi95![1].toFixed(1)}`);
    for (const kind of ['previous', 'yearEarlier'] as const) {
      const mark = report.significance!.csi[kind]!;
      expect(csiCard).toContain(`${mark.difference > 0 ? '+' : '−'}${Math.abs(mark.difference).toFixed(1)}`);
    }
    const elementScores = await page.locator('section[aria-labelledby="elements-title"] tbody td:nth-child(2)').allTextContents();
    expect(elementScores).toEqual(report.elements.map((e) => e.score!.toFixed(1)));
    // The league: the regions below the head office, ranked; a chart with its band.
    const leagueNames = await page.locator('#league tbody th').allTextContents();
    const children = [...report.children].filter((c) => c.csi !== null).sort((a, b) => b.csi! - a.csi!);
    expect(leagueNames.slice(0, children.length)).toEqual(children.map((c) => c.name));
    expect(await page.locator('figure.chart').count()).toBe(1);
    expect(await page.locator('figure.chart svg:visible').count()).toBe(1); // the phone's or the desk's drawing
    await context.close();
  });

  it.each([375, 1280])('the trend, league and every linked detail page at %i px: accessible, nothing sideways', async (width) => {
    const context = await browser.newContext({ viewport: { width, height: 800 }, locale: 'zh-CN', bypassCSP: true });
    const summary = await open(context, 'orgUnit=hq&lang=zh-CN');
    const views = (await summary.locator('nav.views a').evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href, 'http://x/').searchParams.get('view')))).filter((v): v is string => v !== null);
    expect(views).toEqual(expect.arrayContaining(['elements', 'trend', 'league', 'significance', 'drivers']));
    for (const view of views) {
      const page = await open(context, `orgUnit=hq&lang=zh-CN&view=${view}`);
      await page.screenshot({ path: join(tmpdir(), `report-${view}-${width}.png`), fullPage: true });
      expect(await axeViolations(page), view).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), view).toBeLessThanOrEqual(width);
    }
    // Every branch of the bank at once: the league of level 2.
    const level = await open(context, 'orgUnit=hq&lang=en&view=league&level=2');
    const rows = await level.locator('#league tbody tr').count();
    expect(rows).toBeGreaterThan(report.children.length);
    expect(await axeViolations(level)).toEqual([]);
    await context.close();
  });
});
