/**
 * Cases (docs/api.md, "Cases"): the inbox (my cases, my units' cases; open cases overdue first, as
 * GET /admin/cases orders them) and a case's page (what opened it, the response, replies and
 * follow-ups, the timeline, and the events the caller may take now, exactly the case's
 * `actions`). Every event carries the version the page read: a 409 says so and reads the case
 * again. A user who works cases may log one by hand (POST /admin/cases, with an Idempotency-Key).
 * Times are shown in Asia/Shanghai, the organisation's time zone.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Problem } from '../../functions/domain/errors';
import type { CaseEventType, CasePriority, CaseSource, CaseState, CaseSummary, FollowUp, RootCause, TimelineEntry } from '../../functions/domain/cases/case';
import { api, ApiError, detailOf, messageOf } from '../api';
import { consoleLanguage, t, type MessageKey } from '../i18n';
import { me } from '../me';
import type { UnitOption } from '../org-tree';
import { FieldProblems } from './fields';


interface CaseView extends CaseSummary {
  rootCause?: string;
  resolution?: string;
  reopenedCount: number;
  contact?: { name?: string; phone?: string; email?: string };
  response?: { submittedAt: string; answers: Record<string, unknown> };
  responseId?: string;
  eventId?: string;
  commitmentId?: string;
  replies?: { at: string; text: string }[];
  timeline: TimelineEntry[];
  followUps?: FollowUp[];
  actions: CaseEventType[];
}

interface UnitView extends UnitOption { managers?: { userId: string; name: string }[] }

const STATES: readonly CaseState[] = ['new', 'acknowledged', 'in_progress', 'resolved', 'reopened', 'closed'];
const PRIORITIES: readonly CasePriority[] = ['high', 'normal', 'low'];
const PAGE_SIZE = 25;
export const CASE_TIME_ZONE = 'Asia/Shanghai';

const STATE_LABEL: Record<CaseState, MessageKey> = {
  new: 'cases.state.new',
  acknowledged: 'cases.state.acknowledged',
  in_progress: 'cases.state.in_progress',
  resolved: 'cases.state.resolved',
  closed: 'cases.state.closed',
  reopened: 'cases.state.reopened',
};
const PRIORITY_LABEL: Record<CasePriority, MessageKey> = { high: 'cases.priority.high', normal: 'cases.priority.normal', low: 'cases.priority.low' };
const SOURCE_LABEL: Record<CaseSource, MessageKey> = { response: 'cases.source.response', reply: 'cases.source.reply', breach: 'cases.source.breach', manual: 'cases.source.manual' };
const ACTION_LABEL: Record<CaseEventType, MessageKey> = {
  acknowledge: 'cases.do.acknowledge',
  comment: 'cases.do.comment',
  assign: 'cases.do.assign',
  start: 'cases.do.start',
  resolve: 'cases.do.resolve',
  close: 'cases.do.close',
  reopen: 'cases.do.reopen',
};
const ENTRY_LABEL: Record<TimelineEntry['type'], MessageKey> = {
  opened: 'cases.entry.opened',
  overdue: 'cases.entry.overdue',
  escalated: 'cases.entry.escalated',
  notified: 'cases.entry.notified',
  'follow-up': 'cases.entry.follow-up',
  'follow-up-answered': 'cases.entry.follow-up-answered',
  reply: 'cases.entry.reply',
  acknowledge: 'cases.entry.acknowledge',
  comment: 'cases.entry.comment',
  assign: 'cases.entry.assign',
  start: 'cases.entry.start',
  resolve: 'cases.entry.resolve',
  close: 'cases.entry.close',
  reopen: 'cases.entry.reopen',
};

const stateLabel = (state: CaseState) => t(STATE_LABEL[state] ?? 'cases.state.new');
const priorityLabel = (priority: CasePriority) => t(PRIORITY_LABEL[priority] ?? 'cases.priority.normal');

/** YYYY-MM-DD HH:mm in the organisation's time zone, the same in both languages. */
export function shanghaiTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: CASE_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

function Time(props: { at: string | undefined }) {
  if (!props.at) return <span>–</span>;
  return <time dateTime={props.at}>{shanghaiTime(props.at)}</time>;
}

/** The deadline the case waits on next, as the inbox orders by it (none once resolved). */
function nextDeadline(c: CaseSummary): { label: MessageKey; at: string } | undefined {
  if (c.state === 'resolved' || c.state === 'closed') return undefined;
  if (!c.firstContactAt && c.firstContactDueAt) return { label: 'cases.firstContactBy', at: c.firstContactDueAt };
  return c.resolveDueAt ? { label: 'cases.resolveBy', at: c.resolveDueAt } : undefined;
}

const mayWork = () => me.value?.permissions.includes('cases:work') ?? false;
const mayOwn = () => me.value?.permissions.includes('cases:own') ?? false;

/** The units of the caller's scope (names, managers' names); an empty list if the call fails. */
function useUnits(): UnitView[] {
  const [units, setUnits] = useState<UnitView[]>([]);
  useEffect(() => {
    api<{ units: UnitView[] }>('GET', '/admin/org-units').then((page) => setUnits(page.units), () => setUnits([]));
  }, []);
  return units;
}

const unitName = (units: readonly UnitView[], id: string) => {
  const unit = units.find((u) => u.id === id);
  return unit ? `${unit.name} (${id})` : id;
};

/** A user as the page can name them: oneself, a unit manager by name, else the id. */
function personName(units: readonly UnitView[], userId: string | undefined): string {
  if (!userId) return '–';
  if (userId === 'system') return t('cases.system');
  if (userId === me.value?.user?.userId) return t('cases.you');
  for (const unit of units) {
    const manager = unit.managers?.find((m) => m.userId === userId);
    if (manager) return `${manager.name} (${userId})`;
  }
  return userId;
}

const answerText = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value));

/** An Idempotency-Key for one manual case: random, so a retry of the same form is the same case. */
function newKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `console-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

type Scope = 'mine' | 'units';

export function CaseInbox() {
  const owns = mayOwn();
  const [scope, setScope] = useState<Scope>('mine');
  const [state, setState] = useState<'' | CaseState>('');
  const [period, setPeriod] = useState('');
  const [orgUnit, setOrgUnit] = useState('');
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [cases, setCases] = useState<CaseSummary[] | null>(null);
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const units = useUnits();
  const periodProblem = state === 'closed' && !period ? t('cases.closedNeedsPeriod') : null;

  const query = (after?: string) => {
    const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (scope === 'mine' || !owns) params.set('owner', 'me');
    if (state) params.set('state', state);
    if (period) params.set('period', period);
    if (orgUnit) params.set('orgUnit', orgUnit);
    if (overdueOnly) params.set('overdue', 'true');
    if (after) params.set('cursor', after);
    return `/admin/cases?${params.toString()}`;
  };
  const load = async (after?: string) => {
    setBusy(true);
    setProblem(null);
    try {
      const page = await api<{ cases: CaseSummary[]; cursor?: string }>('GET', query(after));
      setCases((before) => (after && before ? [...before, ...page.cases] : page.cases));
      setCursor(page.cursor);
    } catch (error) {
      setProblem(detailOf(error));
      if (!after) setCases([]);
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    if (periodProblem) return;
    setCases(null);
    void load();
  }, [scope, state, period, orgUnit, overdueOnly]);

  return (
    <section aria-labelledby="cases-title">
      <h1 id="cases-title">{t('cases.title')}</h1>
      <p class="hint">{t('cases.inboxHint', { zone: CASE_TIME_ZONE })}</p>
      {owns && (
        <div class="tabs" role="group" aria-label={t('cases.whose')}>
          <button type="button" aria-pressed={scope === 'mine'} onClick={() => setScope('mine')}>{t('cases.mine')}</button>
          <button type="button" aria-pressed={scope === 'units'} onClick={() => setScope('units')}>{t('cases.myUnits')}</button>
        </div>
      )}
      <form class="inline filters" onSubmit={(e) => { e.preventDefault(); void load(); }}>
        <label>
          {t('state')}
          <select name="state" value={state} onChange={(e) => setState((e.currentTarget as HTMLSelectElement).value as '' | CaseState)}>
            <option value="">{t(period ? 'cases.allStates' : 'cases.allOpen')}</option>
            {STATES.map((s) => <option key={s} value={s}>{stateLabel(s)}</option>)}
          </select>
        </label>
        <label>
          {t('cases.periodFilter')}
          <input
            type="month"
            name="period"
            value={period}
            aria-invalid={periodProblem ? true : undefined}
            aria-describedby={periodProblem ? 'case-period-problems' : undefined}
            onChange={(e) => setPeriod((e.currentTarget as HTMLInputElement).value)}
          />
          <FieldProblems id="case-period-problems" problems={periodProblem ? [{ path: 'period', message: periodProblem }] : []} />
        </label>
        {units.length > 1 && (
          <label>
            {t('unit')}
            <select name="orgUnit" value={orgUnit} onChange={(e) => setOrgUnit((e.currentTarget as HTMLSelectElement).value)}>
              <option value="">{t('cases.allUnits')}</option>
              {units.map((u) => <option key={u.id} value={u.id}>{u.name} ({u.id})</option>)}
            </select>
          </label>
        )}
        <label class="check">
          <input type="checkbox" name="overdue" checked={overdueOnly} onChange={(e) => setOverdueOnly((e.currentTarget as HTMLInputElement).checked)} />
          {t('cases.overdueOnly')}
        </label>
        <button type="submit" class="secondary">{t('refresh')}</button>
      </form>
      {problem && <p role="alert" class="problem">{t('error', { message: problem })}</p>}
      <p role="status" class="hint" data-testid="cases-count">{cases === null ? t('loading') : t('cases.count', { count: cases.length })}</p>
      {cases && cases.length === 0 && !problem && <p>{t('cases.none')}</p>}
      {cases && cases.length > 0 && (
        <ol class="case-list" data-testid="cases">
          {cases.map((c) => {
            const deadline = nextDeadline(c);
            return (
              <li key={c.caseId} class={c.overdue ? 'case-item is-overdue' : 'case-item'} data-case-id={c.caseId}>
                <p class="case-head">
                  <a href={`#/cases/${c.caseId}`}>{c.reasons.join('; ') || c.caseId}</a>
                  {c.overdue && <strong class="badge overdue">{t('cases.overdue')}</strong>}
                </p>
                <p class="case-facts">
                  <span class={`badge priority-${c.priority}`}>{t('cases.priority')}: {priorityLabel(c.priority)}</span>
                  <span class="badge">{t('state')}: {stateLabel(c.state)}</span>
                  <span>{t('unit')}: {unitName(units, c.orgUnitId)}</span>
                  <span>{t(SOURCE_LABEL[c.source] ?? 'cases.source.manual')}{c.surveyId ? <> · <code>{c.surveyId}</code></> : null}</span>
                  {deadline && <span>{t(deadline.label)}: <Time at={deadline.at} /></span>}
                  <span>{t('cases.openedAt')}: <Time at={c.openedAt} /></span>
                </p>
              </li>
            );
          })}
        </ol>
      )}
      {cursor && (
        <p><button type="button" class="secondary" disabled={busy} onClick={() => void load(cursor)}>{t('more')}</button></p>
      )}
      {mayWork() && <NewCase units={units} />}
    </section>
  );
}

/** A case by hand (an agent's note of a phone complaint): POST /admin/cases, once per form. */
function NewCase(props: { units: readonly UnitView[] }) {
  const [key, setKey] = useState(newKey);
  const [unit, setUnit] = useState('');
  const [note, setNote] = useState('');
  const [priority, setPriority] = useState<CasePriority>('normal');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [problems, setProblems] = useState<Problem[]>([]);
  const [status, setStatus] = useState<{ text: string; ok: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const chosenUnit = unit || props.units[0]?.id || '';
  const at = (path: string) => problems.filter((p) => p.path === path || p.path.startsWith(`${path}.`));

  const submit = async (event: Event) => {
    event.preventDefault();
    const missing: Problem[] = [];
    if (!chosenUnit) missing.push({ path: 'orgUnitId', message: t('cases.unitNeeded') });
    if (!note.trim()) missing.push({ path: 'note', message: t('cases.noteNeeded') });
    setProblems(missing);
    if (missing.length > 0) {
      setStatus({ text: t('cases.fixFields'), ok: false });
      return;
    }
    setBusy(true);
    setStatus(null);
    try {
      const contact = { ...(name.trim() ? { name: name.trim() } : {}), ...(phone.trim() ? { phone: phone.trim() } : {}) };
      const created = await api<CaseView>(
        'POST',
        '/admin/cases',
        { json: { orgUnitId: chosenUnit, note: note.trim(), priority, ...(Object.keys(contact).length > 0 ? { contact } : {}) } },
        { 'idempotency-key': key },
      );
      setKey(newKey());
      location.hash = `#/cases/${created.caseId}`;
    } catch (error) {
      setProblems(error instanceof ApiError ? [...error.problems] : []);
      setStatus({ text: t('error', { message: detailOf(error) }), ok: false });
    } finally {
      setBusy(false);
    }
  };

  return (
    <details class="card new-case">
      <summary>{t('cases.logCase')}</summary>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <p class="hint">{t('cases.logCaseHint')}</p>
        <label>
          {t('unit')}
          <select value={chosenUnit} aria-invalid={at('orgUnitId').length > 0 || undefined} aria-describedby={at('orgUnitId').length > 0 ? 'new-case-unit-problems' : undefined} onChange={(e) => setUnit((e.currentTarget as HTMLSelectElement).value)}>
            {props.units.map((u) => <option key={u.id} value={u.id}>{u.name} ({u.id})</option>)}
          </select>
          <FieldProblems id="new-case-unit-problems" problems={at('orgUnitId')} />
        </label>
        <label>
          {t('cases.complaint')}
          <textarea name="note" rows={3} value={note} aria-invalid={at('note').length > 0 || undefined} aria-describedby={at('note').length > 0 ? 'new-case-note-problems' : undefined} onInput={(e) => setNote((e.currentTarget as HTMLTextAreaElement).value)} />
          <FieldProblems id="new-case-note-problems" problems={at('note')} />
        </label>
        <label>
          {t('cases.priority')}
          <select value={priority} onChange={(e) => setPriority((e.currentTarget as HTMLSelectElement).value as CasePriority)}>
            {PRIORITIES.map((p) => <option key={p} value={p}>{priorityLabel(p)}</option>)}
          </select>
        </label>
        <label>
          {t('cases.customerName')}
          <input name="name" autoComplete="off" value={name} onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <label>
          {t('cases.customerPhone')}
          <input name="phone" type="tel" autoComplete="off" value={phone} aria-invalid={at('contact').length > 0 || undefined} aria-describedby={at('contact').length > 0 ? 'new-case-phone-problems' : undefined} onInput={(e) => setPhone((e.currentTarget as HTMLInputElement).value)} />
          <FieldProblems id="new-case-phone-problems" problems={at('contact')} />
        </label>
        <div class="buttons">
          <button type="submit" disabled={busy}>{t('cases.logCaseSubmit')}</button>
        </div>
        <p role="status" class={status?.ok === false ? 'problem' : 'ok'} data-testid="new-case-status">{status?.text ?? ''}</p>
      </form>
    </details>
  );
}

export function CasePage(props: { caseId: string }) {
  const [view, setView] = useState<CaseView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [conflicted, setConflicted] = useState(false);
  const [causes, setCauses] = useState<RootCause[]>([]);
  const units = useUnits();

  const load = async (): Promise<void> => {
    try {
      setView(await api<CaseView>('GET', `/admin/cases/${props.caseId}`));
      setProblem(null);
    } catch (error) {
      setProblem(messageOf(error));
    }
  };
  useEffect(() => {
    setView(null);
    void load();
  }, [props.caseId]);
  useEffect(() => {
    if (!mayWork()) return;
    api<{ rootCauses: RootCause[] }>('GET', '/admin/case-settings').then((settings) => setCauses(settings.rootCauses), () => setCauses([]));
  }, []);

  const reloadAfterConflict = async (): Promise<void> => {
    setConflicted(true);
    await load();
  };
  if (problem && !view) return <p role="alert" class="problem">{t('error', { message: problem })}</p>;
  if (!view) return <p role="status">{t('loading')}</p>;
  const c = view;
  const causeLabel = (id: string) => {
    const cause = causes.find((x) => x.id === id);
    return cause ? (cause.label[consoleLanguage.value] ?? cause.label.en ?? Object.values(cause.label)[0] ?? id) : id;
  };
  const fact = (label: MessageKey, value: ComponentChildren, testid?: string) => (
    <div data-fact={testid}>
      <dt>{t(label)}</dt>
      <dd>{value}</dd>
    </div>
  );
  return (
    <section aria-labelledby="case-title" class="case-page">
      <p><a href="#/cases">{t('cases.back')}</a></p>
      <h1 id="case-title">
        {t('cases.case')} <code>{c.caseId}</code>
        {c.overdue && <strong class="badge overdue">{t('cases.overdue')}</strong>}
      </h1>
      <p class="hint">{t('cases.timesIn', { zone: CASE_TIME_ZONE })}</p>
      {/* A failed re-read keeps the case as last read, and says so. */}
      {problem && <p role="alert" class="problem">{t('error', { message: problem })}</p>}
      <dl class="facts" data-testid="case-facts">
        {fact('state', <strong data-testid="case-state">{stateLabel(c.state)}</strong>, 'state')}
        {fact('cases.priority', priorityLabel(c.priority), 'priority')}
        {fact('cases.source', t(SOURCE_LABEL[c.source] ?? 'cases.source.manual'), 'source')}
        {c.surveyId && fact('questionnaire', <code>{c.surveyId}</code>, 'survey')}
        {c.ruleId && fact('cases.rule', <code>{c.ruleId}</code>, 'rule')}
        {c.commitmentId && fact('commitment', <code>{c.commitmentId}</code>, 'commitment')}
        {fact('unit', unitName(units, c.orgUnitId), 'unit')}
        {c.staffId && fact('cases.staff', c.staffId, 'staff')}
        {fact('cases.owner', <>{personName(units, c.owner)} · {unitName(units, c.ownerUnit)}</>, 'owner')}
        {fact('cases.assignee', personName(units, c.assignee), 'assignee')}
        {fact('cases.openedAt', <Time at={c.openedAt} />, 'opened')}
        {c.firstContactDueAt && fact('cases.firstContactDue', <Time at={c.firstContactDueAt} />, 'first-contact-due')}
        {fact('cases.firstContactAt', c.firstContactAt ? <Time at={c.firstContactAt} /> : t('cases.notYet'), 'first-contact')}
        {c.resolveDueAt && fact('cases.resolveDue', <Time at={c.resolveDueAt} />, 'resolve-due')}
        {c.resolvedAt && fact('cases.resolvedAt', <Time at={c.resolvedAt} />, 'resolved')}
        {c.closedAt && fact('cases.closedAt', <Time at={c.closedAt} />, 'closed')}
        {fact('cases.overdue', c.overdue ? <strong class="problem">{t('cases.yesOverdue')}</strong> : t('cases.notOverdue'), 'overdue')}
        {c.reopenedCount > 0 && fact('cases.reopenedCount', c.reopenedCount, 'reopened')}
        {c.rootCause && fact('cases.rootCause', causeLabel(c.rootCause), 'root-cause')}
        {c.resolution && fact('cases.resolution', <span class="note">{c.resolution}</span>, 'resolution')}
      </dl>

      <h2>{t('cases.reasons')}</h2>
      <ul data-testid="case-reasons">{c.reasons.map((reason) => <li key={reason}>{reason}</li>)}</ul>

      <h2>{t('cases.contact')}</h2>
      {c.contact && (c.contact.name || c.contact.phone || c.contact.email) ? (
        <p data-testid="case-contact">{[c.contact.name, c.contact.phone, c.contact.email].filter(Boolean).join(' · ')}</p>
      ) : (
        <p>{t('cases.noContact')}</p>
      )}

      {c.response && (
        <>
          <h2 id="case-response-title">{t('cases.response')}</h2>
          <p class="hint">{t('cases.submittedAt')}: <Time at={c.response.submittedAt} /></p>
          <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="case-response-title">
            <table data-testid="case-response">
              <thead><tr><th scope="col">{t('question')}</th><th scope="col">{t('cases.answer')}</th></tr></thead>
              <tbody>
                {Object.entries(c.response.answers).map(([question, value]) => (
                  <tr key={question}><td><code>{question}</code></td><td>{answerText(value)}</td></tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}

      {c.replies && c.replies.length > 0 && (
        <>
          <h2>{t('cases.replies')}</h2>
          <ol class="timeline" data-testid="case-replies">
            {c.replies.map((reply, i) => (
              <li key={i}><p><Time at={reply.at} /></p><p class="note">{reply.text}</p></li>
            ))}
          </ol>
        </>
      )}

      {c.followUps && c.followUps.length > 0 && (
        <>
          <h2>{t('cases.followUps')}</h2>
          <ol class="timeline" data-testid="case-follow-ups">
            {c.followUps.map((f) => (
              <li key={f.round}>
                <p><Time at={f.at} /> · {t('cases.round', { round: f.round + 1 })} · {f.outcome ? t(f.outcome === 'no-channel' ? 'cases.followUpNoChannel' : 'cases.followUpNoSurvey') : t('cases.followUpSent')}</p>
                {f.answeredAt ? (
                  <p>
                    {t('cases.followUpAnswered')} <Time at={f.answeredAt} />
                    {f.solved !== undefined && <> · {t(f.solved ? 'cases.solved' : 'cases.notSolved')}</>}
                    {f.handled !== undefined && <> · {t('cases.handled', { handled: f.handled })}</>}
                  </p>
                ) : (
                  !f.outcome && <p>{t('cases.followUpWaiting')}</p>
                )}
              </li>
            ))}
          </ol>
        </>
      )}

      <h2 id="case-timeline-title">{t('cases.timeline')}</h2>
      <ol class="timeline" data-testid="timeline" aria-labelledby="case-timeline-title">
        {c.timeline.map((entry, i) => (
          <li key={`${entry.at}-${i}`} data-type={entry.type}>
            <p>
              <Time at={entry.at} /> · <strong>{personName(units, entry.by)}</strong> · {t(ENTRY_LABEL[entry.type] ?? 'cases.entry.comment')}
              {/* The state an event leads to follows from it; the opening's is said. */}
              {entry.state && entry.type === 'opened' && <> → {stateLabel(entry.state)}</>}
              {entry.deadline && <> ({t(entry.deadline === 'firstContact' ? 'cases.firstContactDue' : 'cases.resolveDue')})</>}
            </p>
            {entry.assignee && <p>{t('cases.assignee')}: {personName(units, entry.assignee)}</p>}
            {entry.owner && entry.type !== 'opened' && <p>{t('cases.owner')}: {personName(units, entry.owner)}{entry.ownerUnit ? ` · ${unitName(units, entry.ownerUnit)}` : ''}</p>}
            {entry.rootCause && <p>{t('cases.rootCause')}: {causeLabel(entry.rootCause)}</p>}
            {entry.note && <p class="note">{entry.note}</p>}
          </li>
        ))}
      </ol>

      {c.actions.length > 0 ? (
        <CaseActions view={c} causes={causes} causeLabel={causeLabel} onChanged={(next) => { setConflicted(false); setView(next); }} onReload={reloadAfterConflict} />
      ) : (
        <>
          {/* A conflict whose re-read leaves nothing to do unmounts the form: the page says it instead. */}
          {conflicted && <p role="alert" class="problem">{t('cases.conflict')}</p>}
          <p class="hint">{t('cases.noActions')}</p>
        </>
      )}
    </section>
  );
}

/** The events the caller may take now, one button each; note, root cause and assignee as needed. */
function CaseActions(props: { view: CaseView; causes: readonly RootCause[]; causeLabel: (id: string) => string; onChanged: (next: CaseView) => void; onReload: () => Promise<void> }) {
  const { view } = props;
  const [note, setNote] = useState('');
  const [rootCause, setRootCause] = useState('');
  const [assignee, setAssignee] = useState('');
  const [problems, setProblems] = useState<Problem[]>([]);
  const [status, setStatus] = useState<{ text: string; ok: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const statusRef = useRef<HTMLParagraphElement>(null);
  const at = (path: string) => problems.filter((p) => p.path === path);
  const described = (path: string, id: string) => ({ 'aria-invalid': at(path).length > 0 || undefined, 'aria-describedby': at(path).length > 0 ? `${id}-problems` : undefined });
  const say = (text: string, ok: boolean) => {
    setStatus({ text, ok });
    // The button pressed may be gone (the state moved on): the message takes the focus.
    requestAnimationFrame(() => statusRef.current?.focus());
  };

  const take = async (type: CaseEventType) => {
    const missing: Problem[] = [];
    if ((type === 'comment' || type === 'resolve') && !note.trim()) missing.push({ path: 'note', message: t(type === 'resolve' ? 'cases.resolutionNeeded' : 'cases.noteNeeded') });
    if (type === 'resolve' && !rootCause) missing.push({ path: 'rootCause', message: t('cases.rootCauseNeeded') });
    if (type === 'assign' && !assignee.trim()) missing.push({ path: 'assignee', message: t('cases.assigneeNeeded') });
    setProblems(missing);
    if (missing.length > 0) {
      setStatus({ text: t('cases.fixFields'), ok: false });
      const first = { note: 'case-note', rootCause: 'case-root-cause', assignee: 'case-assignee' }[missing[0]!.path as 'note' | 'rootCause' | 'assignee'];
      document.getElementById(first)?.focus();
      return;
    }
    setBusy(true);
    setStatus(null);
    try {
      const body = {
        type,
        version: view.version,
        ...(note.trim() ? { note: note.trim() } : {}),
        ...(type === 'resolve' ? { rootCause } : {}),
        ...(type === 'assign' ? { assignee: assignee.trim() } : {}),
      };
      const next = await api<CaseView>('POST', `/admin/cases/${view.caseId}/events`, { json: body });
      props.onChanged(next);
      setNote('');
      setRootCause('');
      setAssignee('');
      say(t('cases.done', { action: t(ACTION_LABEL[type]), state: stateLabel(next.state) }), true);
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        // Someone else moved the case on (or the step no longer fits its state): read it again, keep what was typed.
        await props.onReload();
        say(t('cases.conflict'), false);
      } else {
        setProblems(error instanceof ApiError ? error.problems.filter((p) => ['note', 'rootCause', 'assignee'].includes(p.path)) : []);
        say(t('error', { message: detailOf(error) }), false);
      }
    } finally {
      setBusy(false);
    }
  };

  const has = (type: CaseEventType) => view.actions.includes(type);
  return (
    <form class="card case-actions" aria-labelledby="case-actions-title" onSubmit={(e) => e.preventDefault()} noValidate>
      <h2 id="case-actions-title">{t('cases.act')}</h2>
      <label for="case-note">{t(has('resolve') || has('comment') ? 'cases.noteLabel' : 'cases.noteOptional')}</label>
      <textarea id="case-note" rows={3} value={note} {...described('note', 'case-note')} onInput={(e) => setNote((e.currentTarget as HTMLTextAreaElement).value)} />
      <FieldProblems id="case-note-problems" problems={at('note')} />
      {has('resolve') && (
        <>
          <label for="case-root-cause">{t('cases.rootCauseLabel')}</label>
          <select id="case-root-cause" value={rootCause} {...described('rootCause', 'case-root-cause')} onChange={(e) => setRootCause((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">{t('cases.chooseRootCause')}</option>
            {props.causes.map((cause) => <option key={cause.id} value={cause.id}>{props.causeLabel(cause.id)}</option>)}
          </select>
          <FieldProblems id="case-root-cause-problems" problems={at('rootCause')} />
        </>
      )}
      {has('assign') && (
        <>
          <label for="case-assignee">{t('cases.assigneeLabel')}</label>
          <input id="case-assignee" autoComplete="off" value={assignee} {...described('assignee', 'case-assignee')} onInput={(e) => setAssignee((e.currentTarget as HTMLInputElement).value)} />
          <FieldProblems id="case-assignee-problems" problems={at('assignee')} />
        </>
      )}
      <div class="buttons" data-testid="case-actions">
        {view.actions.map((type) => (
          <button key={type} type="button" data-action={type} class={type === 'resolve' || type === 'acknowledge' || type === 'start' ? undefined : 'secondary'} disabled={busy} onClick={() => void take(type)}>
            {t(ACTION_LABEL[type])}
          </button>
        ))}
      </div>
      <p ref={statusRef} tabIndex={-1} role="status" aria-live="polite" class={status ? (status.ok ? 'ok' : 'problem') : undefined} data-testid="case-action-status">{status?.text ?? ''}</p>
    </form>
  );
}
