/**
 * Contacts: search (masked unless the user has pii, as the API answers), each with its grade,
 * attributes and opt-outs; import a CSV with the result of every row; erase a person for good
 * (POST /admin/privacy/erase, for those who may) after a confirmation.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, detailOf, messageOf } from '../api';
import { t } from '../i18n';
import { me } from '../me';

interface ContactView {
  contactId: string;
  orgUnitId: string;
  name?: string;
  phone?: string;
  email?: string;
  externalId?: string;
  grade?: string;
  optedOut?: Record<string, boolean>;
  attributes?: Record<string, string | number | boolean>;
}
interface ErasureReceipt { erased: { contacts: number; invitations: number; responsesRedacted: number } }
interface ImportRow { row: number; status: 'created' | 'updated' | 'unchanged' | 'rejected'; contactId?: string; reason?: string }

export function Contacts() {
  const [query, setQuery] = useState('');
  const [page, setPage] = useState<{ contacts: ContactView[]; cursor?: string } | null>(null);
  const [rows, setRows] = useState<ImportRow[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const mayImport = me.value?.permissions.includes('contacts:write') ?? false;
  // POST /admin/privacy/erase also needs sight of personal data: admins always, analysts with pii.
  const mayErase = (me.value?.permissions.includes('privacy:manage') ?? false) && (me.value?.role === 'admin' || (me.value?.pii ?? false));
  const [confirming, setConfirming] = useState<string | null>(null);
  const [erased, setErased] = useState<string | null>(null);
  const erase = async (contact: ContactView) => {
    setProblem(null);
    try {
      const receipt = await api<ErasureReceipt>('POST', '/admin/privacy/erase', { json: { contactId: contact.contactId } });
      setErased(t('erasedReceipt', { contacts: receipt.erased.contacts, invitations: receipt.erased.invitations, responses: receipt.erased.responsesRedacted }));
      setConfirming(null);
      await load();
    } catch (error) {
      setProblem(detailOf(error));
    }
  };

  const load = async (cursor?: string) => {
    setProblem(null);
    try {
      const params = new URLSearchParams({ limit: '50' });
      if (query.trim()) params.set('query', query.trim());
      if (cursor) params.set('cursor', cursor);
      const next = await api<{ contacts: ContactView[]; cursor?: string }>('GET', `/admin/contacts?${params}`);
      setPage(cursor && page ? { contacts: [...page.contacts, ...next.contacts], ...(next.cursor ? { cursor: next.cursor } : {}) } : next);
    } catch (error) {
      setProblem(messageOf(error));
    }
  };
  useEffect(() => void load(), []);

  const importCsv = async (file: File) => {
    setProblem(null);
    try {
      const result = await api<{ rows: ImportRow[] }>('POST', '/admin/contacts', { csv: await file.text() });
      setRows(result.rows);
      await load();
    } catch (error) {
      setProblem(detailOf(error));
    }
  };

  return (
    <section aria-labelledby="contacts-title">
      <h1 id="contacts-title">{t('contacts')}</h1>
      {problem && <p role="alert" class="problem">{t('error', { message: problem })}</p>}
      {erased && <p role="status" class="ok" data-testid="erased">{erased}</p>}
      <form class="inline" role="search" onSubmit={(e) => { e.preventDefault(); void load(); }}>
        <label>
          {t('contactQuery')}
          <input type="search" value={query} onInput={(e) => setQuery((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <button type="submit">{t('search')}</button>
      </form>
      {mayImport && (
        <label class="file">
          {t('importCsv')}
          <input type="file" accept=".csv,text/csv" onChange={(e) => { const file = (e.currentTarget as HTMLInputElement).files?.[0]; if (file) void importCsv(file); }} />
        </label>
      )}
      {rows && (
        <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="import-title">
          <h2 id="import-title">{t('importResult')}</h2>
          <table data-testid="import-rows">
            <thead><tr><th scope="col">{t('row')}</th><th scope="col">{t('state')}</th><th scope="col">{t('reason')}</th></tr></thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.row} class={row.status === 'rejected' ? 'rejected' : undefined}>
                  <td>{row.row}</td>
                  <td>{t(`import.${row.status}`)}</td>
                  <td>{row.reason ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page === null ? (
        <p>{t('loading')}</p>
      ) : (
        <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="contacts-title">
          <table data-testid="contacts">
            <thead>
              <tr><th scope="col">{t('name')}</th><th scope="col">{t('phone')}</th><th scope="col">{t('unit')}</th><th scope="col">{t('grade')}</th><th scope="col">{t('attributes')}</th><th scope="col">{t('optOut')}</th>{mayErase && <th scope="col">{t('actions')}</th>}</tr>
            </thead>
            <tbody>
              {page.contacts.map((c) => (
                <tr key={c.contactId}>
                  <td>{c.name ?? ''}{c.externalId && <><br /><code>{c.externalId}</code></>}</td>
                  <td>{c.phone ?? c.email ?? ''}</td>
                  <td>{c.orgUnitId}</td>
                  <td>{c.grade ?? ''}</td>
                  <td><small>{Object.entries(c.attributes ?? {}).map(([key, value]) => `${key}: ${String(value)}`).join('; ')}</small></td>
                  <td>{Object.entries(c.optedOut ?? {}).filter(([, out]) => out).map(([channel]) => channel).join(', ') || t('no')}</td>
                  {mayErase && (
                    <td>
                      {confirming === c.contactId ? (
                        <span class="actions" role="group" aria-label={t('eraseConfirm', { name: c.name ?? c.contactId })}>
                          <span>{t('eraseConfirm', { name: c.name ?? c.contactId })}</span>
                          <button type="button" class="small danger" onClick={() => void erase(c)}>{t('eraseNow')}</button>
                          <button type="button" class="small secondary" onClick={() => setConfirming(null)}>{t('cancel')}</button>
                        </span>
                      ) : (
                        <button type="button" class="link" onClick={() => setConfirming(c.contactId)}>{t('erase')}<span class="sr"> {c.name ?? c.contactId}</span></button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          {page.cursor && <button type="button" class="secondary" onClick={() => void load(page.cursor)}>{t('more')}</button>}
        </div>
      )}
    </section>
  );
}
