/**
 * Local only: the SMS outbox (what would have been sent) with a reply box per message, which the
 * dev inbound route turns into the reply the provider would deliver, so the whole loop shows in
 * the browser. Numbers are masked unless the user has pii; a reply goes to the message's invitation.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, messageOf } from '../api';
import { t } from '../i18n';

interface OutboxMessage { to: string; body: string; segments: number; campaignId?: string; invitationId?: string; sentAt: string }

export function Outbox() {
  const [messages, setMessages] = useState<OutboxMessage[] | null>(null);
  const [status, setStatus] = useState<{ text: string; problem: boolean } | null>(null);
  const load = () => api<OutboxMessage[]>('GET', '/dev/outbox?channel=sms').then((list) => setMessages([...list].reverse()), (error: Error) => setStatus({ text: error.message, problem: true }));
  useEffect(() => void load(), []);
  const reply = async (event: Event, invitationId: string) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const body = String(new FormData(form).get('body') ?? '');
    try {
      const result = await api<{ outcome?: string }>('POST', '/dev/sms/inbound', { json: { replyTo: invitationId, body } });
      setStatus({ text: `${t('replied')} ${result.outcome ?? ''}`, problem: false });
      form.reset();
      await load();
    } catch (error) {
      setStatus({ text: messageOf(error), problem: true });
    }
  };
  return (
    <section aria-labelledby="outbox-title">
      <h1 id="outbox-title">{t('outbox')}</h1>
      <p class="hint">{t('outboxHint')}</p>
      <button type="button" class="secondary" onClick={() => void load()}>{t('refresh')}</button>
      {status && <p role={status.problem ? 'alert' : 'status'} class={status.problem ? 'problem' : 'ok'}>{status.text}</p>}
      {messages === null ? (
        <p>{t('loading')}</p>
      ) : messages.length === 0 ? (
        <p>{t('none')}</p>
      ) : (
        <ol class="outbox" data-testid="outbox">
          {messages.map((message, i) => (
            <li key={i} class="card">
              <p><strong>{message.to}</strong> · <small>{message.sentAt} · {message.segments} SMS</small></p>
              <p class="sms">{message.body}</p>
              {message.invitationId && (
                <form class="inline" onSubmit={(e) => void reply(e, message.invitationId!)}>
                  <label>
                    {t('replyBox')}
                    <input name="body" required />
                  </label>
                  <button type="submit">{t('reply')}</button>
                </form>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
