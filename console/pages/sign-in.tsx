/** Sign-in with the local runtime's POST /auth/login (a temporary password asks for a new one). */
import { useState } from 'preact/hooks';
import { api, messageOf, session } from '../api';
import { t } from '../i18n';
import type { Me } from '../me';

export function SignIn(props: { signIn: 'local'; onSignedIn: (me: Me) => void }) {
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
