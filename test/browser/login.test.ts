/// <reference lib="dom" />
/**
 * The local sign-in page in a real browser (Debian's Chromium driven by playwright-core) at phone
 * size, rendered directly (no platform started): no accessibility violations (axe-core, WCAG 2.1
 * A and AA rules), no horizontal scrolling, fields and button of at least 44 px, the problem
 * visible; in both languages, without and with each kind of problem.
 *
 * As in respondent.test.ts: on a machine without Chromium the suite is skipped locally but fails
 * under CI=true, so a missing browser can never pass silently there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, CHROMIUM, haveBrowser } from '../helpers/browser';
import type { Browser, Page } from 'playwright-core';
import { loginPage, type LoginPageOptions } from '../../functions/pages/login';


let browser: Browser;


const LANGS = ['zh-CN', 'en'] as const;
const PROBLEMS: (LoginPageOptions['problem'] | undefined)[] = [
  undefined,
  { kind: 'invalid' },
  { kind: 'throttled', retryAfterSeconds: 300 },
  { kind: 'password-change' },
];
const CASES = LANGS.flatMap((lang) => PROBLEMS.map((problem) => ({ lang, problem, label: `${lang}, ${problem?.kind ?? 'no problem'}` })));

describe.skipIf(!haveBrowser)('the sign-in page in a phone browser', () => {
  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  async function open(options: LoginPageOptions): Promise<Page> {
    // bypassCSP lets the test inject axe; the page itself loads no script.
    const context = await browser.newContext({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: options.lang, bypassCSP: true });
    const page = await context.newPage();
    await page.setContent(loginPage(options));
    return page;
  }

  it.each(CASES)('is accessible, fits a 375 px screen and has large targets ($label)', async ({ lang, problem }) => {
    const page = await open({ lang, problem, email: 'someone@example.com', next: '/admin/reports' });
    expect(await page.getAttribute('html', 'lang')).toBe(lang);
    expect(await page.title()).toBe(lang === 'en' ? 'Sign in · manyi' : '登录 · 满意');
    // The page loads no script (counted before the test injects axe).
    expect(await page.$$eval('script', (scripts) => scripts.length)).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

    const sizes = await page.$$eval('input:not([type=hidden]), button', (elements) =>
      elements.map((e) => ({ name: e.getAttribute('name') ?? e.tagName, height: e.getBoundingClientRect().height })),
    );
    expect(sizes.map((s) => s.name)).toEqual(['email', 'password', ...(problem?.kind === 'password-change' ? ['newPassword'] : []), 'BUTTON']);
    expect(sizes.filter((s) => s.height < 44)).toEqual([]);

    if (problem) {
      const alert = page.getByRole('alert');
      expect(await alert.isVisible()).toBe(true);
      const box = await alert.boundingBox();
      expect(box).not.toBeNull();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(375);
      expect(box!.y + box!.height).toBeLessThanOrEqual(740);
      expect((await alert.textContent())?.trim()).not.toBe('');
      // The field the message is about points at it.
      const described = problem.kind === 'password-change' ? '#newPassword' : '#email';
      expect(await page.getAttribute(described, 'aria-describedby')).toContain('login-problem');
    } else {
      expect(await page.locator('[role=alert]').count()).toBe(0);
    }
    await page.context().close();
  });

  it('shows the language switch, keeping next', async () => {
    const page = await open({ lang: 'zh-CN', next: '/admin?x=1&y=2' });
    const link = page.getByRole('link', { name: 'English' });
    expect(await link.getAttribute('href')).toBe('/login?lang=en&next=%2Fadmin%3Fx%3D1%26y%3D2');
    expect(await page.inputValue('input[name=next]')).toBe('/admin?x=1&y=2');
    await page.context().close();
  });

  it.each([['zh-CN', 'zh'], ['en', 'en']] as const)('takes a screenshot with an error (%s, /tmp/login-%s.png)', async (lang, file) => {
    const page = await open({ lang, problem: { kind: 'invalid' }, email: 'someone@example.com' });
    await page.screenshot({ path: `/tmp/login-${file}.png` });
    await page.context().close();
  });
});

describe('the sign-in page markup', () => {
  const hostile = '"><script>alert(1)</script>';

  it('escapes the e-mail and next', () => {
    const out = loginPage({ lang: 'en', email: hostile, next: `/x${hostile}`, problem: { kind: 'invalid' } });
    expect(out).not.toContain('"><script>');
    expect(out).not.toContain('<script');
    expect(out).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    // `next` is kept as the browser would resolve it: the payload percent-encoded, then escaped.
    expect(out).toContain('value="/x%22%3E%3Cscript%3Ealert(1)%3C/script%3E"');
  });

  it.each(['https://evil.example/', '//evil.example/', '/\\evil.example/', 'javascript:alert(1)', 'admin', ''])('drops a next that is not a local path (%s)', (next) => {
    const out = loginPage({ lang: 'zh-CN', next });
    expect(out).toContain('<input type="hidden" name="next" value="">');
    expect(out).toContain('href="/login?lang=en"');
    expect(out).not.toContain('evil');
  });

  it('keeps a local next and links the language switch with it', () => {
    const out = loginPage({ lang: 'en', next: '/admin/reports' });
    expect(out).toContain('<input type="hidden" name="next" value="/admin/reports">');
    expect(out).toContain('href="/login?lang=zh-CN&amp;next=%2Fadmin%2Freports"');
  });

  it('asks for a new password only when one is needed', () => {
    expect(loginPage({ lang: 'en' })).not.toContain('newPassword');
    for (const kind of ['password-change', 'weak-password'] as const) {
      const out = loginPage({ lang: 'en', problem: { kind } });
      expect(out).toMatch(/<input id="newPassword" name="newPassword" type="password" autocomplete="new-password" minlength="12" required/);
      expect(out).toContain('At least 12 characters');
    }
    expect(loginPage({ lang: 'zh-CN', problem: { kind: 'password-change' } })).toContain('至少 12 个字符');
  });

  it('states the waiting time of a throttled sign-in', () => {
    expect(loginPage({ lang: 'en', problem: { kind: 'throttled', retryAfterSeconds: 30 } })).toContain('try again in 30 seconds');
    expect(loginPage({ lang: 'zh-CN', problem: { kind: 'throttled', retryAfterSeconds: 300 } })).toContain('5 分钟后重试');
  });

  it('announces a sign-out as a status, not an error', () => {
    const out = loginPage({ lang: 'en', problem: { kind: 'logged-out' } });
    expect(out).toContain('role="status"');
    expect(out).not.toContain('role="alert"');
    expect(out).not.toContain('aria-describedby');
  });

  it('has the fields the handler reads', () => {
    const out = loginPage({ lang: 'en' });
    expect(out).toContain('<form class="card" method="post" action="/auth/login">');
    expect(out).toMatch(/<input id="email" name="email" type="email" autocomplete="username"/);
    expect(out).toMatch(/<input id="password" name="password" type="password" autocomplete="current-password"/);
    expect(out).toContain('<title>Sign in · manyi</title>');
    expect(out).toContain('<h1>Sign in · manyi</h1>');
  });
});
