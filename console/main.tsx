/**
 * The console: a client of the public HTTP API only (docs/api.md), in the browser. Hash routes
 * (#/surveys, #/surveys/{id}/draft, #/surveys/{id}/versions/{n}, #/campaigns/new, #/cases/{id}, ...) keep
 * the server to one page.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { signal } from '@preact/signals';
import type { ConsoleConfig } from '../functions/pages/console-index';
import { api, session } from './api';
import { me, type Me } from './me';
import { consoleLanguage, t, type ConsoleLanguage, type MessageKey } from './i18n';
import { completeHostedSignIn, hostedSignIn, SignIn } from './pages/sign-in';
import { signOutUrl } from './pkce';
import { SurveyList } from './pages/surveys';
import { Editor } from './pages/editor';
import { Contacts } from './pages/contacts';
import { Outbox } from './pages/outbox';
import { CampaignList, CampaignStatusPage } from './pages/campaigns';
import { NewCampaign } from './pages/campaign-new';
import { Organisation } from './pages/organisation';
import { ServiceEvents } from './pages/events';
import { CaseInbox, CasePage } from './pages/cases';
import './styles.css';


const config = JSON.parse(document.getElementById('manyi-config')?.textContent ?? '{}') as ConsoleConfig;
const LANG_KEY = 'manyi.console.lang';
consoleLanguage.value = (localStorage.getItem(LANG_KEY) as ConsoleLanguage | null) ?? config.lang ?? 'zh-CN';

const route = signal(location.hash.slice(1));
addEventListener('hashchange', () => (route.value = location.hash.slice(1)));

/** Whether the signed-in user may take one of `actions` (GET /admin/me lists what their role may do). */
const mayAny = (actions: readonly string[]) => actions.some((action) => me.value?.permissions.includes(action) ?? false);
/** Where an empty route goes: the questionnaires, or the case inbox for someone who only works cases (an agent). */
const home = () => (!mayAny(['surveys:read']) && mayAny(['cases:work']) ? '/cases' : '/surveys');
const currentPath = () => route.value || home();

function LanguageSwitch() {
  return (
    <label class="lang">
      <span class="sr">{t('language')}</span>
      <select
        value={consoleLanguage.value}
        onChange={(e) => {
          const lang = (e.currentTarget as HTMLSelectElement).value as ConsoleLanguage;
          consoleLanguage.value = lang;
          localStorage.setItem(LANG_KEY, lang);
        }}
      >
        <option value="zh-CN">中文</option>
        <option value="en">English</option>
      </select>
    </label>
  );
}

/**
 * The sections of the header, in order; the outbox is the local runtime's, for admins. A section
 * with `anyOf` is shown to users who may take one of those actions.
 */
const NAV: readonly { path: string; label: MessageKey; adminDevOnly?: boolean; anyOf?: readonly string[] }[] = [
  { path: '/surveys', label: 'navSurveys' },
  { path: '/cases', label: 'cases.nav', anyOf: ['cases:work', 'cases:own'] },
  { path: '/organisation', label: 'navOrganisation' },
  { path: '/contacts', label: 'contacts' },
  { path: '/campaigns', label: 'campaigns' },
  { path: '/events', label: 'navEvents' },
  { path: '/outbox', label: 'outbox', adminDevOnly: true },
];

function Page() {
  const path = currentPath();
  const draft = /^\/surveys\/([a-z0-9-]+)\/draft$/.exec(path);
  if (draft?.[1]) return <Editor surveyId={draft[1]} />;
  const version = /^\/surveys\/([a-z0-9-]+)\/versions\/(\d+)$/.exec(path);
  if (version?.[1]) return <Editor surveyId={version[1]} version={Number(version[2])} />;
  if (path === '/organisation') return <Organisation />;
  if (path === '/events') return <ServiceEvents />;
  if (path === '/contacts') return <Contacts />;
  if (path === '/campaigns') return <CampaignList />;
  if (path === '/campaigns/new') return <NewCampaign />;
  if (path === '/outbox' && config.devRoutes) return <Outbox />;
  const campaign = /^\/campaigns\/([A-Za-z0-9_-]+)$/.exec(path);
  if (campaign?.[1]) return <CampaignStatusPage campaignId={campaign[1]} />;
  if (path === '/cases') return <CaseInbox />;
  const caseMatch = /^\/cases\/([A-Za-z0-9_-]+)$/.exec(path);
  if (caseMatch?.[1]) return <CasePage caseId={caseMatch[1]} />;
  return <SurveyList />;
}

function App() {
  const [checked, setChecked] = useState(false);
  useEffect(() => {
    document.documentElement.lang = consoleLanguage.value;
    document.title = t('appName');
  });
  useEffect(() => {
    // Back from Cognito's hosted page (?code=&state=): exchange the code first (never rejects).
    void completeHostedSignIn(config).then(() => {
      if (!session.token) return setChecked(true);
      api<Me>('GET', '/admin/me')
        .then((value) => (me.value = value))
        .catch(() => (session.token = null))
        .finally(() => setChecked(true));
    });
  }, []);
  if (!checked) return <p class="loading" role="status">{t(hostedSignIn.value.status === 'working' ? 'signIn.redirecting' : 'loading')}</p>;
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        {t('skip')}
      </a>
      <header class="bar">
        <strong class="brand">{t('appName')}</strong>
        {me.value && (
          <nav aria-label={t('appName')}>
            {NAV.filter((item) => (!item.adminDevOnly || (config.devRoutes && me.value?.role === 'admin')) && (!item.anyOf || mayAny(item.anyOf))).map((item) => (
              // A page and the pages below it (a campaign under #/campaigns) mark their section.
              <a key={item.path} href={`#${item.path}`} aria-current={currentPath() === item.path || currentPath().startsWith(`${item.path}/`) ? 'page' : undefined}>
                {t(item.label)}
              </a>
            ))}
          </nav>
        )}
        <LanguageSwitch />
        {me.value && (
          <button type="button" class="link" onClick={() => {
            session.token = null;
            me.value = null;
            // On AWS Cognito's own session must end too, or "continue" signs straight back in.
            if (config.signIn !== 'local') location.assign(signOutUrl(config.signIn));
            else void fetch('/auth/logout', { method: 'POST' });
          }}>
            {t('signOut')}
          </button>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {me.value ? <Page /> : <SignIn signIn={config.signIn} onSignedIn={(value) => (me.value = value)} />}
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
