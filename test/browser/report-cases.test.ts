/// <reference lib="dom" />
/**
 * The report pages' cases and scorecard views and the summary's tiles (functions/pages/report.ts) in Debian's Chromium
 * at phone and desktop width, rendered directly: no axe violation (WCAG 2.1 A and AA), nothing
 * sideways at 375 px, in both languages. Screenshots go to the system temp dir for review.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { axeViolations, haveBrowser, launchChromium } from '../helpers/browser';
import { noReportPage, reportPage } from '../../functions/pages/report';
import type { UnitReport } from '../../functions/app/report-model';

const deadline = (measurable: number, met: number, p50Hours: number | null, p90Hours: number | null) => ({ measurable, met, share: measurable ? met / measurable : null, p50Hours, p90Hours, timed: measurable });
const report: UnitReport = {
  surveyId: 'mini-csi', version: 1, period: '2026-11', orgUnit: 'hq', orgUnitName: 'Head office', path: ['hq'], n: 12, csi: 71.5,
  elements: [], notes: [], computedAt: '2026-11-14T06:00:00.000Z',
  children: [{ orgUnit: 'north', name: 'North region', n: 8, csi: 70 }, { orgUnit: 'south', name: 'South region', n: 4, csi: 74 }],
  cases: {
    opened: 6, bySource: { response: 1, reply: 0, breach: 0, manual: 5 }, resolved: 3, closed: 1, reopened: 1, overdueNow: 3,
    firstContact: deadline(5, 3, 1, 4.5), resolve: deadline(5, 2, 10, 42),
    followUp: { sent: 2, answered: 2, solved: 1, solvedShare: 0.5, handledMean: 3, handledN: 2 },
    rootCauses: [
      { rootCause: 'waiting-time', count: 2, share: 2 / 3, cumulativeShare: 2 / 3, label: { 'zh-CN': '等候时间', en: 'Waiting time' } },
      { rootCause: 'fees', count: 1, share: 1 / 3, cumulativeShare: 1, label: { 'zh-CN': '收费', en: 'Fees' } },
    ],
    children: [
      { orgUnit: 'north', opened: 4, resolved: 2, overdueNow: 3, firstContactShare: 0.5, resolveShare: 0.25 },
      { orgUnit: 'south', opened: 2, resolved: 1, overdueNow: 0, firstContactShare: 1, resolveShare: 1 },
    ],
  },
  scorecard: {
    units: 2, customers: 4000, complaints: 8, complaintsPer10k: 20, complaintsSource: 'metrics', marketShare: 0.125, repeatRate: 0.35, newCustomerRate: null,
    profitPerCustomer: 10, competitorCsi: 62.5, competitorLead: 9, children: [
      { orgUnit: 'north', units: 1, customers: 1000, complaints: 8, complaintsPer10k: 80, marketShare: 0.2, repeatRate: 0.5, newCustomerRate: null, profitPerCustomer: null, competitorCsi: 70 },
    ],
  },
};

let browser: Browser;

describe.skipIf(!haveBrowser)('the cases section of the report page', () => {
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it.each([
    ['zh-CN', 375],
    ['en', 375],
    ['en', 1280],
  ] as const)('%s at %i px: accessible, nothing sideways, the figures shown', async (lang, width) => {
    const context = await browser.newContext({ viewport: { width, height: 900 }, locale: lang, bypassCSP: true });
    const page = await context.newPage();
    const input = { report, questionnaire: undefined };
    const noSideways = async () => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);

    await page.setContent(reportPage(input, lang, 'cases'));
    const section = page.locator('#cases');
    expect(await section.isVisible()).toBe(true);
    expect(await section.textContent()).toContain(lang === 'en' ? 'Waiting time' : '等候时间');
    expect(await section.textContent()).toContain('60.0%');
    expect(await axeViolations(page)).toEqual([]);
    await noSideways();
    await section.screenshot({ path: join(tmpdir(), `report-cases-${lang}-${width}.png`) });

    await page.setContent(reportPage(input, lang, 'scorecard'));
    expect(await page.locator('#scorecard').textContent()).toContain('+9.0');
    expect(await axeViolations(page)).toEqual([]);
    await noSideways();
    await page.locator('#scorecard').screenshot({ path: join(tmpdir(), `report-scorecard-${lang}-${width}.png`) });

    // The summary's tiles link to both, with their headline figures.
    await page.setContent(reportPage(input, lang, 'summary'));
    const tiles = page.locator('.tiles');
    expect(await tiles.textContent()).toContain('20.00');
    expect(await tiles.textContent()).toContain('+9.0');
    expect(await tiles.locator('a[href*="view=cases"]').count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await noSideways();
    await context.close();
  });

  it.each(['zh-CN', 'en'] as const)('says so when a period has no report (%s), accessibly', async (lang) => {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 }, locale: lang, bypassCSP: true });
    const page = await context.newPage();
    await page.setContent(noReportPage(lang, 'nothing computed for "mini-csi" in 2025-01 at unit "hq"'));
    expect(await page.locator('h1').textContent()).toBe(lang === 'en' ? 'No report for this period' : '该期间没有可显示的报告');
    expect(await axeViolations(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await context.close();
  });
});
