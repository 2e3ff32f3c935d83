/**
 * Sign-in. Locally: the local runtime's POST /auth/login (a temporary password asks for a new one).
 * On AWS: a button to Cognito's hosted page (console/pkce.ts), and `completeHostedSignIn`, which
 * the start-up calls to finish a sign-in when the hosted page sends the user back.
 */
import { useState } from 'preact/hooks';
import { signal } from '@preact/signals';
import type { CognitoSignIn, ConsoleConfig } from '../../functions/pages/console-index';
import { api, messageOf, session } from '../api';
import { t } from '../i18n';
import type { Me } from '../me';
import { authorizeUrl, completeCallback, isCallback, withoutCallback } from '../pkce';

/** Where a hosted sign-in stands: working while the console goes to the page or trades the code. */
export type HostedSignInState = { status: 'idle' } | { status: 'working' } | { status: 'failed'; reason: string };
export const hostedSignIn = signal<HostedSignInState>({ status: 'idle' });

/**
 * At start-up: if the hosted page has just sent the user back (?code=&state=, or ?error=), trades
 * the code for tokens, keeps the ID token as the session's bearer, and takes code and state out of
 * the address bar (and history). True when the user is now signed in; false otherwise (nothing
 * to finish, or a failure, which the sign-in page then shows).
 */
export async function completeHostedSignIn(config: Pick<ConsoleConfig, 'signIn'>): Promise<boolean> {
  if (config.signIn === 'local') return false;
  const url = new URL(location.href);
  if (!isCallback(url)) return false;
  hostedSignIn.value = { status: 'working' };
  const result = await completeCallback(config.signIn, url, sessionStorage);
  const returnTo = result.kind === 'signed-in' ? result.returnTo : undefined;
  history.replaceState(history.state, '', withoutCallback(url, returnTo || undefined));
  // The hash routes follow hashchange, which replaceState does not fire.
  if (returnTo) dispatchEvent(new HashChangeEvent('hashchange'));
  if (result.kind === 'failed') {
    hostedSignIn.value = { status: 'failed', reason: result.reason };
    return false;
  }
  session.token = result.idToken;
  hostedSignIn.value = { status: 'idle' };
  return true;
}

function HostedSignIn(props: { signIn: CognitoSignIn }) {
  const state = hostedSignIn.value;
  const go = async () => {
    hostedSignIn.value = { status: 'working' };
    // Back from the hosted page without signing in (the browser's page cache): offer the button again.
    addEventListener('pageshow', (event) => event.persisted && (hostedSignIn.value = { status: 'idle' }), { once: true });
    try {
      location.assign(await authorizeUrl(props.signIn, sessionStorage, location.hash));
    } catch (error) {
      hostedSignIn.value = { status: 'failed', reason: messageOf(error) };
    }
  };
  return (
    <section class="card narrow" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{t('signIn')}</h1>
      {state.status === 'failed' && (
        <p role="alert" class="problem">
          {t('signIn.callbackFailed', { reason: state.reason })}
        </p>
      )}
      {state.status === 'working' ? (
        <p role="status">{t('signIn.redirecting')}</p>
      ) : (
        <>
          <p>{t('signIn.hostedHint')}</p>
          <button type="button" onClick={() => void go()}>
            {t('signIn.hosted')}
          </button>
        </>
      )}
    </section>
  );
}

export function SignIn(props: { signIn: ConsoleConfig['signIn']; onSignedIn: (me: Me) => void }) {
  if (props.signIn !== 'local') return <HostedSignIn signIn={props.signIn} />;
  return <LocalSignIn onSignedIn={props.onSignedIn} />;
}

function LocalSignIn(props: { onSignedIn: (me: Me) => void }) {
  const [problem, setProblem] = useState<string | null>(null);
  const [changePassword, setChangePassword] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const body: Record<string, string> = { email: String(form.get('email') ?? ''), password: String(form.get('password') ?? '') };
    const newPassword = String(form.get('newPassword') ?? '');
    if (newPassword) body.newPassword = newPassword;
    try {
      const signedIn = await api<{ token: string; passwordChangeRequired?: boolean }>('POST', '/auth/login', { json: body });
      if (signedIn.passwordChangeRequired) return setChangePassword(true);
      session.token = signedIn.token;
      props.onSignedIn(await api<Me>('GET', '/admin/me'));
    } catch (error) {
      setProblem(messageOf(error));
    }
  };
  return (
    <form class="card narrow" onSubmit={submit} aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{t('signIn')}</h1>
      {problem && <p role="alert" class="problem">{problem}</p>}
      {changePassword && <p role="status">{t('passwordChange')}</p>}
      <label>
        {t('email')}
        <input name="email" type="email" autoComplete="username" required />
      </label>
      <label>
        {t('password')}
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      {changePassword && (
        <label>
          {t('newPassword')}
          <input name="newPassword" type="password" autoComplete="new-password" minLength={12} required />
        </label>
      )}
      <button type="submit">{t('signIn')}</button>
    </form>
  );
}
