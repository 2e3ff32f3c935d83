/// <reference lib="dom" />
/**
 * What the console's browser tests share: a signed-in page (its script errors collected, so the
 * test that met one fails), the axe check and the screenshots at 375 and 1280 px (with the check
 * that nothing scrolls sideways), written to CONSOLE_SCREENSHOTS to be looked at.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations } from './browser';
import { TEST_PASSWORD } from './users';

/** Dispatch, the in-process queue and the pages' own refresh are asynchronous. */
export const POLL = { timeout: 10_000 };
export const SCREENSHOTS = process.env.CONSOLE_SCREENSHOTS ?? path.join(tmpdir(), 'manyi-console-screenshots');

/** Signs `email` in to the console at `url` in a fresh context; errors of its pages go to `pageErrors`. */
export async function signedInConsole(
  browser: Browser,
  url: string,
  email: string,
  pageErrors: string[],
  options: { lang: 'zh-CN' | 'en'; width?: number },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: 900 }, locale: options.lang, bypassCSP: false });
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${url}/console/`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', TEST_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('#surveys-title');
  return { context, page };
}

export async function accessible(page: Page, name: string): Promise<void> {
  // axe is injected through the test's own channel: the console's CSP allows no inline script.
  expect(await axeViolations(page), name).toEqual([]);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  for (const width of [375, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} at ${width} px`).toBeLessThanOrEqual(width);
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
  }
}
