/**
 * A new campaign: questionnaire, channel, audience (a segment, or contacts picked from a search),
 * kind (one-off, recurring cron, after a service event, return-visit schedule), expiry, reminder,
 * and for SMS the text. While the form changes, POST /admin/campaigns/preview answers with the
 * audience's count and masked sample, the contact rules that will apply and, for SMS, the text
 * with its encoding, segments and cost; the server's own validation marks what is wrong. Launch
 * posts the same body to POST /admin/campaigns. A link campaign's personal links are offered as a
 * CSV at once (the API shows a link once; later ones are re-issued).
 */
import { useEffect, useState } from 'preact/hooks';
import { formatCsv } from '../../functions/domain/csv-export';
import { api, ApiError, detailOf, messageOf } from '../api';
import { t, type MessageKey } from '../i18n';
import { me } from '../me';
import { unitsInOrder, type UnitOption } from '../org-tree';
import { localized } from './surveys';

export type CampaignKind = 'once' | 'recurring' | 'trigger' | 'schedule';

/** The form as typed: strings where the user types, turned into the API's body by `campaignBody`. */
export interface CampaignForm {
  name: string;
  surveyId: string;
  channel: 'link' | 'sms';
  audience: 'segment' | 'list';
  segmentUnit: string;
  /** Comma-separated: any of them. */
  segmentGrades: string;
  /** One `key=value` per line: every one must match. */
  segmentAttributes: string;
  contactIds: string[];
  kind: CampaignKind;
  /** datetime-local (the browser's time); empty sends now. */
  startAt: string;
  cron: string;
  eventType: string;
  delay: string;
  anchor: string;
  /** One rule per line: `P1M until P1Y`, the last may be `P3M`. */
  scheduleRules: string;
  expiresInDays: string;
  reminder: boolean;
  reminderDelay: string;
  exemptFromFrequencyCap: boolean;
  /** The campaign's own quiet hours (HH:MM, both or neither), besides the platform's. */
  quietStart: string;
  quietEnd: string;
  /** The campaign's own frequency cap in days (at least the platform's). */
  frequencyCapDays: string;
  sampleSize: string;
  signature: string;
  templates: Record<string, string>;
  marketing: boolean;
}

export const emptyCampaignForm = (): CampaignForm => ({
  name: '', surveyId: '', channel: 'sms', audience: 'segment', segmentUnit: '', segmentGrades: '', segmentAttributes: '', contactIds: [],
  kind: 'once', startAt: '', cron: '0 10 * * 1', eventType: '', delay: 'PT2H', anchor: 'deliveredAt', scheduleRules: 'P1M until P1Y\nP3M',
  expiresInDays: '', reminder: true, reminderDelay: '', exemptFromFrequencyCap: false, quietStart: '', quietEnd: '', frequencyCapDays: '', sampleSize: '', signature: '', templates: {}, marketing: true,
});

const lines = (text: string) => text.split('\n').map((line) => line.trim()).filter(Boolean);

/** The body of POST /admin/campaigns (and its preview) for the form; the server validates it. */
export function campaignBody(form: CampaignForm): Record<string, unknown> {
  const body: Record<string, unknown> = { surveyId: form.surveyId, channel: form.channel };
  if (form.name.trim()) body.name = form.name.trim();
  if (form.kind !== 'trigger') {
    if (form.audience === 'list') body.contactIds = form.contactIds;
    else {
      const grades = form.segmentGrades.split(',').map((grade) => grade.trim()).filter(Boolean);
      const attributes = Object.fromEntries(lines(form.segmentAttributes).map((line) => [line.split('=')[0]!.trim(), line.slice(line.indexOf('=') + 1).trim()]));
      body.segment = {
        ...(form.segmentUnit ? { orgUnitId: form.segmentUnit } : {}),
        ...(grades.length === 1 ? { grade: grades[0] } : grades.length > 1 ? { grade: grades } : {}),
        ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
      };
    }
  }
  // Link campaigns hand their links over at once: a start time is the SMS sender's.
  if (form.channel === 'sms' && form.kind === 'once' && form.startAt) body.startAt = new Date(form.startAt).toISOString();
  if (form.kind === 'recurring') body.recurrence = { cron: form.cron.trim() };
  if (form.kind === 'trigger') body.trigger = { eventType: form.eventType.trim(), delay: form.delay.trim() };
  if (form.kind === 'schedule') {
    body.schedule = {
      anchor: form.anchor.trim(),
      rules: lines(form.scheduleRules).map((line) => {
        const [every, until] = line.split(/\s+until\s+/i);
        return { every: every!.trim(), ...(until ? { until: until.trim() } : {}) };
      }),
    };
  }
  if ((form.kind === 'trigger' || form.kind === 'schedule') && form.exemptFromFrequencyCap) body.exemptFromFrequencyCap = true;
  if (form.channel === 'sms' && (form.quietStart || form.quietEnd)) body.quietHours = { start: form.quietStart, end: form.quietEnd };
  if (form.channel === 'sms' && form.frequencyCapDays.trim()) body.frequencyCapDays = Number(form.frequencyCapDays);
  if (form.expiresInDays.trim()) body.expiresInDays = Number(form.expiresInDays);
  if (form.sampleSize.trim()) body.sample = { size: Number(form.sampleSize) };
  if (form.channel === 'sms') {
    body.reminder = { enabled: form.reminder, ...(form.reminder && form.reminderDelay.trim() ? { delay: form.reminderDelay.trim() } : {}) };
    body.sms = { signature: form.signature, template: Object.fromEntries(Object.entries(form.templates).filter(([, text]) => text.trim())), marketing: form.marketing };
  }
  return body;
}

interface Preview {
  audience: { count: number; sample: { contactId: string; orgUnitId: string; name?: string; to?: string }[] };
  rules: { quietHours: { start: string; end: string }; campaignQuietHours?: { start: string; end: string }; frequencyCapDays: number; expiresInDays: number; timeZone: string };
  messages: { contactId: string; body: string; encoding: string; segments: number; cost: number }[];
  totals: { messages: number; segments: number; cost: number; currency: string };
}
interface SurveyOption { surveyId: string; title: Record<string, string>; state: string; latestVersion?: number }
interface ContactOption { contactId: string; orgUnitId: string; name?: string; phone?: string; email?: string }
interface Created { campaignId: string; invitations: { invitationId: string; url: string; status: string }[] }
type Problems = { path: string; message: string }[];

const PREVIEW_DELAY_MS = 400;

export function NewCampaign() {
  const [form, setForm] = useState<CampaignForm>(emptyCampaignForm);
  const [surveys, setSurveys] = useState<SurveyOption[]>([]);
  const [languages, setLanguages] = useState<string[]>([]);
  const [units, setUnits] = useState<UnitOption[]>([]);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [problems, setProblems] = useState<Problems>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [created, setCreated] = useState<Created | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof CampaignForm>(key: K, value: CampaignForm[K]) => setForm((current) => ({ ...current, [key]: value }));

  useEffect(() => {
    api<{ surveys: SurveyOption[] }>('GET', '/admin/surveys?limit=100').then((page) => {
      const published = page.surveys.filter((survey) => survey.state === 'published');
      setSurveys(published);
      if (published[0]) set('surveyId', published[0].surveyId);
    }, (error: unknown) => setProblem(messageOf(error)));
    api<{ units: UnitOption[] }>('GET', '/admin/org-units').then((page) => setUnits(page.units), (error: unknown) => setProblem(messageOf(error)));
  }, []);
  useEffect(() => {
    const survey = surveys.find((s) => s.surveyId === form.surveyId);
    if (!survey?.latestVersion) return;
    api<{ definition: { languages: string[] } }>('GET', `/admin/surveys/${survey.surveyId}/versions/${survey.latestVersion}`).then(
      (version) => setLanguages(version.definition.languages),
      (error: unknown) => setProblem(messageOf(error)),
    );
  }, [form.surveyId, surveys]);
  useEffect(() => {
    if (!form.surveyId || form.kind === 'trigger' || created) return setPreview(null);
    let stale = false;
    const timer = setTimeout(async () => {
      try {
        const next = await api<Preview>('POST', '/admin/campaigns/preview', { json: campaignBody(form) });
        if (stale) return;
        setPreview(next);
        setProblems([]);
      } catch (error) {
        if (stale) return;
        setPreview(null);
        setProblems(error instanceof ApiError && error.problems.length > 0 ? [...error.problems] : [{ path: '', message: messageOf(error) }]);
      }
    }, PREVIEW_DELAY_MS);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [form, created]);

  const launch = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const result = await api<Created>('POST', '/admin/campaigns', { json: campaignBody(form) });
      if (form.channel === 'sms') location.hash = `#/campaigns/${result.campaignId}`;
      else setCreated(result);
    } catch (error) {
      if (error instanceof ApiError && error.problems.length > 0) setProblems([...error.problems]);
      setProblem(messageOf(error));
    } finally {
      setBusy(false);
    }
  };

  if (created) return <LinksCreated created={created} />;
  const problemsAt = (prefix: string) => problems.filter((p) => p.path === prefix || p.path.startsWith(`${prefix}.`) || p.path.startsWith(`${prefix}[`));
  // A field with problems says so, and points at them (read out with the field).
  const invalidity = (id: string, path: string) => (problemsAt(path).length > 0 ? { 'aria-invalid': 'true' as const, 'aria-describedby': `${id}-problems` } : {});
  const field = (key: keyof CampaignForm, path: string, label: string, input: preact.JSX.Element) => (
    <FieldWithProblems id={`f-${key}`} label={label} problems={problemsAt(path)}>{input}</FieldWithProblems>
  );
  const text = (key: keyof CampaignForm, path: string, label: string, extra: Record<string, unknown> = {}) =>
    field(key, path, label, <input id={`f-${key}`} value={form[key] as string} {...invalidity(`f-${key}`, path)} onInput={(e) => set(key, (e.currentTarget as HTMLInputElement).value as never)} {...extra} />);

  return (
    <form aria-labelledby="new-campaign-title" onSubmit={launch}>
      <h1 id="new-campaign-title">{t('newCampaign')}</h1>
      {problem && <p role="alert" class="problem">{t('error', { message: problem })}</p>}
      <div class="card">
        {text('name', 'name', t('campaignName'))}
        {field('surveyId', 'surveyId', t('questionnaire'), (
          <select id="f-surveyId" value={form.surveyId} onChange={(e) => set('surveyId', (e.currentTarget as HTMLSelectElement).value)}>
            {surveys.map((survey) => <option key={survey.surveyId} value={survey.surveyId}>{localized(survey.title)} ({survey.surveyId} v{survey.latestVersion})</option>)}
          </select>
        ))}
        <Choice legend={t('channel')} name="channel" value={form.channel} options={['sms', 'link']} onChange={(value) => setForm((current) => ({ ...current, channel: value as CampaignForm['channel'], ...(value === 'link' ? { kind: 'once' as const, startAt: '' } : {}) }))} />
        <Choice legend={t('campaignKind')} name="kind" value={form.kind} options={form.channel === 'sms' ? ['once', 'recurring', 'trigger', 'schedule'] : ['once']} onChange={(value) => set('kind', value as CampaignKind)} />
        {form.kind === 'once' && form.channel === 'sms' && text('startAt', 'startAt', t('startAt'), { type: 'datetime-local' })}
        {form.kind === 'recurring' && text('cron', 'recurrence', t('cron'), { spellcheck: false })}
        {form.kind === 'trigger' && (
          <>
            {text('eventType', 'trigger.eventType', t('eventType'), { spellcheck: false })}
            {text('delay', 'trigger.delay', t('delay'), { spellcheck: false })}
          </>
        )}
        {form.kind === 'schedule' && (
          <>
            {text('anchor', 'schedule.anchor', t('anchor'), { spellcheck: false })}
            {field('scheduleRules', 'schedule.rules', t('scheduleRules'), <textarea id="f-scheduleRules" rows={3} value={form.scheduleRules} onInput={(e) => set('scheduleRules', (e.currentTarget as HTMLTextAreaElement).value)} />)}
          </>
        )}
      </div>

      {form.kind !== 'trigger' && (
        <fieldset class="card">
          <legend>{t('audience')}</legend>
          <Choice legend={t('audienceBy')} name="audience" value={form.audience} options={['segment', 'list']} onChange={(value) => set('audience', value as CampaignForm['audience'])} />
          {form.audience === 'segment' ? (
            <>
              {field('segmentUnit', 'segment.orgUnitId', t('unit'), (
                <select id="f-segmentUnit" value={form.segmentUnit} onChange={(e) => set('segmentUnit', (e.currentTarget as HTMLSelectElement).value)}>
                  <option value="">{t('allUnits')}</option>
                  {unitsInOrder(units).map(({ unit, depth }) => <option key={unit.id} value={unit.id}>{'\u00a0\u00a0'.repeat(depth)}{unit.name} ({unit.id})</option>)}
                </select>
              ))}
              {text('segmentGrades', 'segment.grade', t('grades'))}
              {field('segmentAttributes', 'segment.attributes', t('attributesMatch'), <textarea id="f-segmentAttributes" rows={2} spellcheck={false} value={form.segmentAttributes} onInput={(e) => set('segmentAttributes', (e.currentTarget as HTMLTextAreaElement).value)} />)}
            </>
          ) : (
            <ContactPicker selected={form.contactIds} onChange={(ids) => set('contactIds', ids)} problems={problemsAt('contactIds')} />
          )}
          {text('sampleSize', 'sample', t('sampleSize'), { type: 'number', min: 1, inputMode: 'numeric' })}
        </fieldset>
      )}

      <fieldset class="card">
        <legend>{t('rules')}</legend>
        {text('expiresInDays', 'expiresInDays', t('expiresInDays'), { type: 'number', min: 1, max: 365, inputMode: 'numeric', placeholder: preview ? String(preview.rules.expiresInDays) : '' })}
        {form.channel === 'sms' && (
          <>
            <label class="check"><input type="checkbox" checked={form.reminder} onChange={(e) => set('reminder', (e.currentTarget as HTMLInputElement).checked)} /> {t('reminder')}</label>
            {form.reminder && text('reminderDelay', 'reminder.delay', t('reminderDelay'), { spellcheck: false, placeholder: 'P2D' })}
            <div class="inline">
              {text('quietStart', 'quietHours', t('quietStart'), { type: 'time' })}
              {text('quietEnd', 'quietHours', t('quietEnd'), { type: 'time' })}
            </div>
            {text('frequencyCapDays', 'frequencyCapDays', t('campaignCap'), { type: 'number', min: 0, max: 365, inputMode: 'numeric', placeholder: preview ? String(preview.rules.frequencyCapDays) : '' })}
          </>
        )}
        {(form.kind === 'trigger' || form.kind === 'schedule') && (
          <label class="check"><input type="checkbox" checked={form.exemptFromFrequencyCap} onChange={(e) => set('exemptFromFrequencyCap', (e.currentTarget as HTMLInputElement).checked)} /> {t('exemptFromCap')}</label>
        )}
        {preview && (
          <p class="hint" data-testid="rules">
            {t('rulesHint', { start: preview.rules.quietHours.start, end: preview.rules.quietHours.end, zone: preview.rules.timeZone, days: preview.rules.frequencyCapDays, expires: preview.rules.expiresInDays })}
            {preview.rules.campaignQuietHours && ` ${t('campaignQuietHint', { start: preview.rules.campaignQuietHours.start, end: preview.rules.campaignQuietHours.end })}`}
          </p>
        )}
      </fieldset>

      {form.channel === 'sms' && (
        <fieldset class="card">
          <legend>{t('smsText')}</legend>
          {text('signature', 'sms.signature', t('signature'), { placeholder: '【示例银行】' })}
          {languages.map((lang) => (
            <FieldWithProblems key={lang} id={`f-template-${lang}`} label={t('template', { lang })} problems={problemsAt(`sms.template.${lang}`)}>
              <textarea id={`f-template-${lang}`} rows={3} {...invalidity(`f-template-${lang}`, `sms.template.${lang}`)} value={form.templates[lang] ?? ''} placeholder="{name} {link} {unit}" onInput={(e) => set('templates', { ...form.templates, [lang]: (e.currentTarget as HTMLTextAreaElement).value })} />
            </FieldWithProblems>
          ))}
          {problemsAt('sms.template').filter((p) => p.path === 'sms.template').map((p) => <p key={p.message} class="problem">{p.message}</p>)}
          <label class="check"><input type="checkbox" checked={form.marketing} onChange={(e) => set('marketing', (e.currentTarget as HTMLInputElement).checked)} /> {t('marketing')}</label>
          <TestSend body={() => campaignBody(form)} languages={languages} />
        </fieldset>
      )}

      <section class="card" aria-labelledby="preview-title">
        <h2 id="preview-title">{t('campaignPreview')}</h2>
        <div data-testid="campaign-preview">
          {form.kind === 'trigger' ? (
            <p class="hint">{t('triggerPreview')}</p>
          ) : preview ? (
            <PreviewView preview={preview} sms={form.channel === 'sms'} />
          ) : problems.length > 0 ? (
            // A status around the list (a role on the list itself would hide that it is one).
            <div role="status"><ul class="field-problems" data-testid="campaign-problems">{problems.map((p) => <li key={`${p.path}${p.message}`}>{p.path ? <code>{p.path}</code> : null} {p.message}</li>)}</ul></div>
          ) : (
            <p>{t('loading')}</p>
          )}
        </div>
      </section>
      <div class="buttons">
        <button type="submit" disabled={busy || !form.surveyId}>{t('launch')}</button>
        <a href="#/campaigns">{t('cancel')}</a>
      </div>
    </form>
  );
}

/**
 * One message of this campaign to the user's own phone (POST /admin/campaigns/test-send): the
 * number an admin recorded on the user, never one typed here; nothing is created.
 */
function TestSend(props: { body: () => Record<string, unknown>; languages: string[] }) {
  const [lang, setLang] = useState(props.languages[0] ?? '');
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  // Another questionnaire, other languages: the choice starts again from its first.
  useEffect(() => setLang(props.languages[0] ?? ''), [props.languages.join(',')]);
  const phone = me.value?.user?.phone;
  const send = async () => {
    setBusy(true);
    try {
      const sent = await api<{ to: string; segments: number; remainingToday: number }>('POST', '/admin/campaigns/test-send', { json: { campaign: props.body(), ...(lang ? { lang } : {}) } });
      setResult({ ok: true, text: t('testSent', { to: sent.to, segments: sent.segments, left: sent.remainingToday }) });
    } catch (error) {
      setResult({ ok: false, text: detailOf(error) });
    } finally {
      setBusy(false);
    }
  };
  if (!phone) return <p class="hint" data-testid="test-send-none">{t('testNoPhone')}</p>;
  return (
    <div class="test-send">
      <div class="inline">
        {props.languages.length > 1 && (
          <label>
            {t('testLanguage')}
            <select value={lang} onChange={(e) => setLang((e.currentTarget as HTMLSelectElement).value)}>
              {props.languages.map((language) => <option key={language} value={language}>{language}</option>)}
            </select>
          </label>
        )}
        <button type="button" class="secondary" disabled={busy} onClick={() => void send()}>{t('testSend', { to: phone })}</button>
      </div>
      <p class="hint">{t('testSendHint')}</p>
      <div role="status" data-testid="test-send-result">{result && <p class={result.ok ? 'ok' : 'problem'}>{result.text}</p>}</div>
    </div>
  );
}

function PreviewView(props: { preview: Preview; sms: boolean }) {
  const { audience, messages, totals } = props.preview;
  const first = messages[0];
  return (
    <>
      <p data-testid="audience-count" role="status"><strong>{t('audienceCount', { count: audience.count })}</strong></p>
      {audience.sample.length > 0 && (
        <div class="table-wrap" tabIndex={0} role="region" aria-label={t('audienceSample')}>
          <table>
            <caption class="sr">{t('audienceSample')}</caption>
            <thead><tr><th scope="col">{t('name')}</th><th scope="col">{t('phone')}</th><th scope="col">{t('unit')}</th></tr></thead>
            <tbody>{audience.sample.slice(0, 5).map((s) => <tr key={s.contactId}><td>{s.name ?? ''}</td><td>{s.to ?? ''}</td><td>{s.orgUnitId}</td></tr>)}</tbody>
          </table>
        </div>
      )}
      {props.sms && first && (
        <>
          <blockquote class="sms" data-testid="sms-text">{first.body}</blockquote>
          <p data-testid="sms-cost">{t('smsCost', { encoding: first.encoding, segments: first.segments, total: totals.segments, cost: totals.cost.toFixed(2), currency: totals.currency })}</p>
        </>
      )}
    </>
  );
}

function FieldWithProblems(props: { id: string; label: string; problems: Problems; children: preact.ComponentChildren }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.problems.length > 0 && <ul class="field-problems" id={`${props.id}-problems`}>{props.problems.map((p) => <li key={p.path + p.message}>{p.message}</li>)}</ul>}
    </div>
  );
}

function Choice(props: { legend: string; name: string; value: string; options: string[]; onChange: (value: string) => void }) {
  return (
    <fieldset class="choice">
      <legend>{props.legend}</legend>
      {props.options.map((option) => (
        <label key={option}>
          <input type="radio" name={props.name} value={option} checked={props.value === option} onChange={() => props.onChange(option)} /> {t(`option.${option}` as MessageKey)}
        </label>
      ))}
    </fieldset>
  );
}

function ContactPicker(props: { selected: string[]; onChange: (ids: string[]) => void; problems: Problems }) {
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<ContactOption[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const search = async () => {
    try {
      setFound((await api<{ contacts: ContactOption[] }>('GET', `/admin/contacts?${new URLSearchParams({ limit: '50', ...(query.trim() ? { query: query.trim() } : {}) })}`)).contacts);
    } catch (error) {
      setProblem(messageOf(error));
    }
  };
  useEffect(() => void search(), []);
  const toggle = (id: string, on: boolean) => props.onChange(on ? [...props.selected, id] : props.selected.filter((selected) => selected !== id));
  return (
    <div>
      <div class="inline">
        <label>
          {t('contactQuery')}
          <input type="search" value={query} onInput={(e) => setQuery((e.currentTarget as HTMLInputElement).value)} onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); void search(); } }} />
        </label>
        <button type="button" class="secondary" onClick={() => void search()}>{t('search')}</button>
      </div>
      {problem && <p class="problem">{problem}</p>}
      <p class="hint">{t('selectedCount', { count: props.selected.length })}</p>
      {props.problems.map((p) => <p key={p.path} class="problem">{p.message}</p>)}
      <ul class="picks" data-testid="contact-picker">
        {found.map((contact) => (
          <li key={contact.contactId}>
            <label class="check">
              <input type="checkbox" checked={props.selected.includes(contact.contactId)} onChange={(e) => toggle(contact.contactId, (e.currentTarget as HTMLInputElement).checked)} />
              {' '}{contact.name ?? contact.contactId} {contact.phone ?? contact.email ?? ''} · {contact.orgUnitId}
            </label>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A link campaign was made: its links, once, with a CSV to download. */
function LinksCreated(props: { created: Created }) {
  const [rows, setRows] = useState<{ invitationId: string; orgUnitId: string; name: string; to: string; url: string }[] | null>(null);
  useEffect(() => {
    const urls = new Map(props.created.invitations.map((inv) => [inv.invitationId, inv.url]));
    void (async () => {
      const all: { invitationId: string; orgUnitId: string; contact?: { name?: string; phone?: string; email?: string } }[] = [];
      let cursor: string | undefined;
      do {
        const page: { invitations: typeof all; cursor?: string } = await api('GET', `/admin/campaigns/${props.created.campaignId}/invitations?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        all.push(...page.invitations);
        cursor = page.cursor;
      } while (cursor);
      setRows(all.map((inv) => ({ invitationId: inv.invitationId, orgUnitId: inv.orgUnitId, name: inv.contact?.name ?? '', to: inv.contact?.phone ?? inv.contact?.email ?? '', url: urls.get(inv.invitationId) ?? '' })));
    })().catch(() => setRows(props.created.invitations.map((inv) => ({ invitationId: inv.invitationId, orgUnitId: '', name: '', to: '', url: inv.url }))));
  }, [props.created]);
  // A Blob, not a data: URL: a campaign of thousands of links is megabytes, past what a URL holds.
  const [csvUrl, setCsvUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!rows) return;
    const url = URL.createObjectURL(new Blob([formatCsv(['invitationId', 'orgUnitId', 'name', 'contact', 'link'], rows.map((row) => [row.invitationId, row.orgUnitId, row.name, row.to, row.url]))], { type: 'text/csv;charset=utf-8' }));
    setCsvUrl(url);
    return () => URL.revokeObjectURL(url);
  }, [rows]);
  return (
    <section aria-labelledby="links-title">
      <h1 id="links-title">{t('linksCreated', { count: props.created.invitations.length })}</h1>
      <p class="hint">{t('linksOnce')}</p>
      <div class="buttons">
        {csvUrl && <a class="button" data-testid="links-csv" download={`${props.created.campaignId}-links.csv`} href={csvUrl}>{t('downloadLinks')}</a>}
        <a href={`#/campaigns/${props.created.campaignId}`}>{t('campaignStatus')}</a>
      </div>
      {rows && (
        <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="links-title">
          <table data-testid="links">
            <thead><tr><th scope="col">{t('name')}</th><th scope="col">{t('unit')}</th><th scope="col">{t('link')}</th></tr></thead>
            <tbody>{rows.map((row) => <tr key={row.invitationId}><td>{row.name} {row.to}</td><td>{row.orgUnitId}</td><td><a href={row.url}>{row.url}</a></td></tr>)}</tbody>
          </table>
        </div>
      )}
    </section>
  );
}
