/**
 * The local sign-in page: a plain HTML form posted to /auth/login (works without script, which the
 * CSP forbids anyway). After a failure the page is shown again with the e-mail kept, the problem
 * in an alert linked to the fields it concerns, and, for a temporary or too weak password, a field
 * for the new password.
 */
import { MIN_PASSWORD_LENGTH } from '../domain/access/users';
import { html, type Html } from './html';
import { fill, t as sharedText } from './i18n';
import { page } from './layout';

export interface LoginPageOptions {
  lang: 'zh-CN' | 'en';
  /** Where to go after logging in (a path starting with "/"; anything else is ignored). */
  next?: string;
  /** The e-mail typed before (kept in the field after a failure). */
  email?: string;
  /** What went wrong: wrong e-mail or password, too many attempts (retryAfterSeconds), or a temporary password that must be replaced. */
  problem?: { kind: 'invalid' } | { kind: 'throttled'; retryAfterSeconds: number } | { kind: 'password-change' } | { kind: 'weak-password' } | { kind: 'logged-out' };
}

/** The floor the local sign-in enforces (functions/domain/access/users.ts). */
export const NEW_PASSWORD_MIN_LENGTH = MIN_PASSWORD_LENGTH;

/**
 * `next` if it is a path on this site, else undefined. It is resolved as a browser would resolve it
 * (backslashes, tabs, encoded or doubled slashes included) against a placeholder origin, and kept
 * only if it stays on that origin; what is returned is the resolved path, so nothing the browser
 * would read differently reaches the Location header.
 */
const PLACEHOLDER_ORIGIN = 'http://next.invalid';
export function safeNext(next: string | undefined): string | undefined {
  if (next === undefined || !next.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(next)) return undefined;
  let resolved: URL;
  try {
    resolved = new URL(next, PLACEHOLDER_ORIGIN);
  } catch {
    return undefined;
  }
  if (resolved.origin !== PLACEHOLDER_ORIGIN) return undefined;
  const path = `${resolved.pathname}${resolved.search}${resolved.hash}`;
  // A path that decodes to "//host" or "/\host" would be another site after one more decoding.
  return /^\/[\/\\]/.test(path) || /^\/(%2f|%5c)/i.test(path) ? undefined : path;
}

/** The page's words (here, not in ./i18n.ts: the respondent's page, which shares i18n.ts, never carries them). */
const words = {
  'zh-CN': {
  'title': '登录 · 满意',
  'email': '电子邮箱',
  'password': '密码',
  'newPassword': '新密码',
  'newPasswordHelp': '至少 12 个字符。',
  'submit': '登录',
  'submitNewPassword': '设置新密码并登录',
  'invalid': '电子邮箱或密码不正确。',
  'throttledSeconds': '尝试次数过多，请在 {seconds} 秒后重试。',
  'throttledMinutes': '尝试次数过多，请在 {minutes} 分钟后重试。',
  'passwordChange': '您使用的是临时密码，请设置一个新密码。',
  'weakPassword': '新密码太弱，请至少使用 12 个字符。',
  'loggedOut': '您已退出登录。',
  },
  en: {
  'title': 'Sign in · manyi',
  'email': 'E-mail',
  'password': 'Password',
  'newPassword': 'New password',
  'newPasswordHelp': 'At least 12 characters.',
  'submit': 'Sign in',
  'submitNewPassword': 'Set new password and sign in',
  'invalid': 'The e-mail address or password is not correct.',
  'throttledSeconds': 'Too many attempts. Please try again in {seconds} seconds.',
  'throttledMinutes': 'Too many attempts. Please try again in {minutes} minutes.',
  'passwordChange': 'You signed in with a temporary password. Please choose a new password.',
  'weakPassword': 'The new password is too weak. Please use at least 12 characters.',
  'loggedOut': 'You have signed out.',
  },
} as const;
type Word = keyof (typeof words)['en'];
const t = (lang: LoginPageOptions['lang'], key: Word, values: Readonly<Record<string, string | number>> = {}): string => fill(words[lang][key], values);

const ERROR_ID = 'login-problem';
const NEW_PASSWORD_HELP_ID = 'new-password-help';

function problemText(lang: LoginPageOptions['lang'], problem: NonNullable<LoginPageOptions['problem']>): string {
  switch (problem.kind) {
    case 'invalid':
      return t(lang, 'invalid');
    case 'throttled': {
      const seconds = Math.max(1, Math.ceil(problem.retryAfterSeconds));
      return seconds < 120 ? t(lang, 'throttledSeconds', { seconds }) : t(lang, 'throttledMinutes', { minutes: Math.ceil(seconds / 60) });
    }
    case 'password-change':
      return t(lang, 'passwordChange');
    case 'weak-password':
      return t(lang, 'weakPassword');
    case 'logged-out':
      return t(lang, 'loggedOut');
  }
}

export function loginPage(options: LoginPageOptions): string {
  const { lang, problem } = options;
  const next = safeNext(options.next);
  const other = lang === 'en' ? 'zh-CN' : 'en';
  const switchHref = `/login?lang=${encodeURIComponent(other)}${next ? `&next=${encodeURIComponent(next)}` : ''}`;
  const title = t(lang, 'title');

  const changingPassword = problem?.kind === 'password-change' || problem?.kind === 'weak-password';
  // Signing out is news, not an error: a polite status instead of an alert, linked to no field.
  const isError = problem !== undefined && problem.kind !== 'logged-out';
  const message = problem
    ? html`<div class="card${isError ? ' summary' : ''}" id="${ERROR_ID}" role="${isError ? 'alert' : 'status'}"><p${isError ? html` class="error"` : ''}>${problemText(lang, problem)}</p></div>`
    : '';

  // Which fields the message speaks about, and which of them hold a wrong value.
  const credentialsDescribed = problem?.kind === 'invalid' || problem?.kind === 'throttled';
  const credentialsInvalid = problem?.kind === 'invalid';
  const credentialAttributes = (): Html =>
    html`${credentialsDescribed ? html` aria-describedby="${ERROR_ID}"` : ''}${credentialsInvalid ? html` aria-invalid="true"` : ''}`;

  const newPasswordField = changingPassword
    ? html`<div class="field"><label for="newPassword">${t(lang, 'newPassword')}</label><p class="help" id="${NEW_PASSWORD_HELP_ID}">${t(
        lang,
        'newPasswordHelp',
      )}</p><input id="newPassword" name="newPassword" type="password" autocomplete="new-password" minlength="${String(
        NEW_PASSWORD_MIN_LENGTH,
      )}" required aria-describedby="${ERROR_ID} ${NEW_PASSWORD_HELP_ID}"${problem?.kind === 'weak-password' ? html` aria-invalid="true"` : ''}></div>`
    : '';

  return page({
    lang,
    title,
    body: [
      html`<p class="lang"><a href="${switchHref}" hreflang="${other}" lang="${other}">${sharedText(lang, 'language')}</a></p>`,
      html`<h1>${title}</h1>`,
      message || html``,
      html`<form class="card" method="post" action="/auth/login">
<input type="hidden" name="next" value="${next ?? ''}">
<input type="hidden" name="lang" value="${lang}">
<div class="field"><label for="email">${t(lang, 'email')}</label><input id="email" name="email" type="email" autocomplete="username" inputmode="email" autocapitalize="none" spellcheck="false" required value="${
        options.email ?? ''
      }"${credentialAttributes()}></div>
<div class="field"><label for="password">${t(lang, 'password')}</label><input id="password" name="password" type="password" autocomplete="current-password" required${credentialAttributes()}></div>
${newPasswordField}
<button type="submit">${t(lang, changingPassword ? 'submitNewPassword' : 'submit')}</button>
</form>`,
    ],
  });
}
