/**
 * Service events and commitments: the declared commitments, their compliance at a unit for a
 * month (as the monthly computation stored it), the month's events of the user's scope, and for a
 * user who may record events a CSV import that posts each row to POST /admin/service-events and
 * shows every row's result.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, detailOf, messageOf } from '../api';
import { t } from '../i18n';
import { me } from '../me';
import { unitsInOrder, type UnitOption } from '../org-tree';
import { localized } from './surveys';

interface CommitmentView { id: string; title?: Record<string, string>; eventType: string; from: string; to: string; target: string | { workingDays: number } }
interface Figures { id: string; title?: Record<string, string>; n: number; met: number; compliance: number | null; p50: number | null; p90: number | null; missedOpen: number; pending: number; provisional: boolean }
interface EventView { eventId: string; type: string; orgUnitId: string; occurredAt: string; closedAt?: string; fields: Record<string, unknown> }
interface RowResult { row: number; eventId: string; status: string; problem?: string }

const hours = (value: number | null) => (value === null ? '–' : `${value.toFixed(1)} h`);
const targetText = (target: CommitmentView['target']) => (typeof target === 'string' ? target : t('workingDays', { days: target.workingDays }));

export function ServiceEvents() {
  // Empty until the server names the current month (its clock and time zone, not the browser's).
  const [period, setPeriod] = useState('');
  const [units, setUnits] = useState<UnitOption[] | null>(null);
  const [unit, setUnit] = useState('');
  const [commitments, setCommitments] = useState<CommitmentView[]>([]);
  const [compliance, setCompliance] = useState<{ computedAt: string | null; commitments: Figures[] } | null>(null);
  const [events, setEvents] = useState<{ events: EventView[]; cursor?: string } | null>(null);
  const [rows, setRows] = useState<RowResult[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const mayImport = me.value?.permissions.includes('serviceEvents:write') ?? false;
  const mayList = me.value?.permissions.includes('serviceEvents:read') ?? false;

  useEffect(() => {
    api<{ units: UnitOption[] }>('GET', '/admin/org-units').then((page) => {
      setUnits(page.units);
      setUnit((current) => current || unitsInOrder(page.units)[0]?.unit.id || '');
    }, (error: unknown) => setProblem(messageOf(error)));
    api<{ commitments: CommitmentView[] }>('GET', '/admin/commitments').then((page) => setCommitments(page.commitments), (error: unknown) => setProblem(messageOf(error)));
  }, []);
  // Each load of another month or unit wins over a slower answer to an earlier one.
  const generation = useRef(0);
  const loadEvents = async (cursor?: string, mine = generation.current) => {
    if (!mayList || !unit) return;
    const params = new URLSearchParams({ ...(period ? { period } : {}), orgUnit: unit, limit: '50', ...(cursor ? { cursor } : {}) });
    const next = await api<{ events: EventView[]; cursor?: string }>('GET', `/admin/service-events?${params}`);
    if (mine !== generation.current) return;
    setEvents((current) => (cursor && current ? { events: [...current.events, ...next.events], ...(next.cursor ? { cursor: next.cursor } : {}) } : next));
  };
  const load = async () => {
    if (!unit || (period && !/^\d{4}-\d{2}$/.test(period))) return;
    const mine = ++generation.current;
    setProblem(null);
    try {
      const figures = await api<{ period: string; computedAt: string | null; commitments: Figures[] }>('GET', `/admin/commitments/compliance?${new URLSearchParams({ ...(period ? { period } : {}), orgUnit: unit })}`);
      if (mine !== generation.current) return;
      setCompliance(figures);
      if (!period) return setPeriod(figures.period); // loads the events of that month
      await loadEvents(undefined, mine);
    } catch (error) {
      if (mine === generation.current) setProblem(messageOf(error));
    }
  };
  useEffect(() => void load(), [period, unit]);

  const importCsv = async (file: File) => {
    setProblem(null);
    try {
      const { serviceEventsFromCsv } = await import('../events-csv');
      const bodies = serviceEventsFromCsv(await file.text());
      const results: RowResult[] = [];
      for (const [i, body] of bodies.entries()) {
        try {
          const result = await api<{ status: string }>('POST', '/admin/service-events', { json: body });
          results.push({ row: i + 1, eventId: String(body.eventId ?? ''), status: result.status });
        } catch (error) {
          results.push({ row: i + 1, eventId: String(body.eventId ?? ''), status: 'rejected', problem: detailOf(error) });
        }
        setRows([...results]);
      }
      await load();
    } catch (error) {
      setProblem(messageOf(error));
    }
  };

  const titleOf = (item: { id: string; title?: Record<string, string> }) => (item.title ? localized(item.title) : item.id);
  return (
    <section aria-labelledby="events-title">
      <h1 id="events-title">{t('eventsAndCommitments')}</h1>
      {problem && <p role="alert" class="problem">{t('error', { message: problem })}</p>}
      <div class="inline">
        <label>{t('period')}<input id="events-period" type="month" value={period} onChange={(e) => setPeriod((e.currentTarget as HTMLInputElement).value)} /></label>
        <label>
          {t('unit')}
          <select id="events-unit" value={unit} onChange={(e) => setUnit((e.currentTarget as HTMLSelectElement).value)}>
            {unitsInOrder(units ?? []).map(({ unit: u, depth }) => <option key={u.id} value={u.id}>{'\u00a0\u00a0'.repeat(depth)}{u.name} ({u.id})</option>)}
          </select>
        </label>
      </div>

      <h2 id="compliance-title">{t('compliance')}</h2>
      {compliance && (compliance.computedAt === null ? <p class="hint">{t('notComputed')}</p> : <p class="hint">{t('computedAt', { at: compliance.computedAt.slice(0, 16).replace('T', ' ') })}</p>)}
      <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="compliance-title">
        <table data-testid="compliance">
          <thead><tr><th scope="col">{t('commitment')}</th><th scope="col">{t('target')}</th><th scope="col">{t('complianceRate')}</th><th scope="col">{t('medianP90')}</th><th scope="col">{t('openPending')}</th></tr></thead>
          <tbody>
            {commitments.map((commitment) => {
              const figures = compliance?.commitments.find((f) => f.id === commitment.id);
              return (
                <tr key={commitment.id} data-commitment={commitment.id}>
                  <td>{titleOf(commitment)}<br /><small><code>{commitment.eventType}</code>: {commitment.from} → {commitment.to}</small></td>
                  <td>{targetText(commitment.target)}</td>
                  <td>{figures && figures.compliance !== null ? `${(figures.compliance * 100).toFixed(1)} % (${figures.met}/${figures.n})${figures.provisional ? ` ${t('provisional')}` : ''}` : '–'}</td>
                  <td>{figures ? `${hours(figures.p50)} / ${hours(figures.p90)}` : '–'}</td>
                  <td>{figures ? `${figures.missedOpen} / ${figures.pending}` : '–'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      {mayImport && (
        <div class="card">
          <label class="file">
            {t('importEventsCsv')}
            <input type="file" accept=".csv,text/csv" onChange={(e) => { const file = (e.currentTarget as HTMLInputElement).files?.[0]; if (file) void importCsv(file); }} />
          </label>
          <p class="hint">{t('importEventsHint')}</p>
          {rows && <p role="status" data-testid="event-import-summary">{t('eventsPosted', { done: rows.length, rejected: rows.filter((row) => row.status === 'rejected').length })}</p>}
          {rows && (
            <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="event-import-title">
              <h3 id="event-import-title">{t('importResult')}</h3>
              <table data-testid="event-import-rows">
                <thead><tr><th scope="col">{t('row')}</th><th scope="col">{t('event')}</th><th scope="col">{t('state')}</th><th scope="col">{t('reason')}</th></tr></thead>
                <tbody>{rows.map((row) => <tr key={row.row} class={row.status === 'rejected' ? 'rejected' : undefined}><td>{row.row}</td><td>{row.eventId}</td><td>{t(`import.${row.status}`)}</td><td>{row.problem ?? ''}</td></tr>)}</tbody>
              </table>
            </div>
          )}
        </div>
      )}

      {mayList && (
        <>
          <h2 id="event-list-title">{t('events')}</h2>
          {events === null ? (
            <p>{units?.length === 0 ? t('none') : t('loading')}</p>
          ) : events.events.length === 0 ? (
            <p>{t('none')}</p>
          ) : (
            <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="event-list-title">
              <table data-testid="events">
                <thead><tr><th scope="col">{t('event')}</th><th scope="col">{t('unit')}</th><th scope="col">{t('occurredAt')}</th><th scope="col">{t('fields')}</th></tr></thead>
                <tbody>
                  {events.events.map((event) => (
                    <tr key={event.eventId}>
                      <td><code>{event.eventId}</code><br /><small>{event.type}</small></td>
                      <td>{event.orgUnitId}</td>
                      <td>{event.occurredAt}{event.closedAt && <><br /><small>{t('closedAt')} {event.closedAt}</small></>}</td>
                      <td><small>{Object.entries(event.fields).map(([key, value]) => `${key}: ${String(value)}`).join('; ')}</small></td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {events.cursor && <button type="button" class="secondary" onClick={() => void loadEvents(events.cursor).catch((error: unknown) => setProblem(messageOf(error)))}>{t('more')}</button>}
            </div>
          )}
        </>
      )}
    </section>
  );
}
