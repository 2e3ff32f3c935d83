/**
 * Organisation: the unit tree of the user's scope (any depth) with each unit's managers; for a
 * user who may change it, add a unit below another, rename, move (to any unit outside its own
 * subtree), and import a CSV (id,name,parentId), all through POST /admin/org-units, which refuses
 * whatever would break the tree or reach outside the user's scope.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, detailOf, messageOf } from '../api';
import { t, type MessageKey } from '../i18n';
import { me } from '../me';
import { childrenOf, subtreeIds, unitsInOrder } from '../org-tree';

interface UnitView { id: string; name: string; parentId?: string; managers: { userId: string; name: string }[] }
type Editing = { unitId: string; action: 'rename' | 'move' | 'add' } | null;

export function Organisation() {
  const [units, setUnits] = useState<UnitView[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing>(null);
  const mayWrite = me.value?.permissions.includes('orgUnits:write') ?? false;

  const load = async () => {
    try {
      setUnits((await api<{ units: UnitView[] }>('GET', '/admin/org-units')).units);
    } catch (error) {
      setProblem(messageOf(error));
    }
  };
  useEffect(() => void load(), []);

  const save = async (body: { json: unknown } | { csv: string }, message: MessageKey) => {
    setProblem(null);
    setDone(null);
    try {
      const result = await api<{ upserted: number; total: number }>('POST', '/admin/org-units', body);
      const unitId = editing?.unitId;
      setEditing(null);
      await load();
      // Said once the tree shows the change.
      setDone(t(message, { upserted: result.upserted, total: result.total }));
      // The form is gone: focus goes back to the unit's first action, not to the page's start.
      if (unitId) requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-unit="${CSS.escape(unitId)}"] .actions button`)?.focus());
    } catch (error) {
      setProblem(detailOf(error));
    }
  };
  const unitBody = (unit: { id: string; name: string; parentId?: string | null }) => ({ json: { units: [unit] } });

  // Nested lists: the tree's shape is in the markup, so a screen reader announces each level.
  const children = (parentId: string | undefined) => childrenOf(units ?? [], parentId);
  const renderUnit = (unit: UnitView) => {
    const open = editing?.unitId === unit.id ? editing.action : null;
    return (
      <li key={unit.id} data-unit={unit.id}>
        <div class="node-head">
          <span><strong>{unit.name}</strong> <code>{unit.id}</code>{unit.managers.length > 0 && <small> · {t('managers')}: {unit.managers.map((m) => m.name).join(', ')}</small>}</span>
          {mayWrite && (
            <span class="actions">
              {(['add', 'rename', 'move'] as const).map((action) => (
                <button key={action} type="button" class="link" aria-expanded={open === action} onClick={() => setEditing(open === action ? null : { unitId: unit.id, action })}>
                  {t(`unit.${action}`)}<span class="sr"> {unit.name}</span>
                </button>
              ))}
            </span>
          )}
        </div>
        {open === 'rename' && (
          <form class="inline" onSubmit={(e) => { e.preventDefault(); const name = String(new FormData(e.currentTarget).get('name') ?? ''); void save(unitBody({ id: unit.id, name, parentId: unit.parentId ?? null }), 'unitSaved'); }}>
            <label>{t('unitName')}<input name="name" defaultValue={unit.name} required maxLength={200} /></label>
            <button type="submit">{t('unit.rename')}</button>
          </form>
        )}
        {open === 'move' && (
          <form class="inline" onSubmit={(e) => { e.preventDefault(); const parentId = String(new FormData(e.currentTarget).get('parentId') ?? ''); void save(unitBody({ id: unit.id, name: unit.name, parentId: parentId || null }), 'unitSaved'); }}>
            <label>
              {t('newParent')}
              <select name="parentId" defaultValue={unit.parentId ?? ''}>
                <option value="">{t('topLevel')}</option>
                {unitsInOrder(units ?? []).filter(({ unit: other }) => !subtreeIds(units ?? [], unit.id).has(other.id)).map(({ unit: other, depth: d }) => (
                  <option key={other.id} value={other.id}>{'\u00a0\u00a0'.repeat(d)}{other.name} ({other.id})</option>
                ))}
              </select>
            </label>
            <button type="submit">{t('unit.move')}</button>
          </form>
        )}
        {open === 'add' && (
          <form class="inline" onSubmit={(e) => { e.preventDefault(); const form = new FormData(e.currentTarget); void save(unitBody({ id: String(form.get('id') ?? ''), name: String(form.get('name') ?? ''), parentId: unit.id }), 'unitSaved'); }}>
            <label>{t('unitId')}<input name="id" required pattern="[A-Za-z0-9_.\-]{1,64}" spellcheck={false} /></label>
            <label>{t('unitName')}<input name="name" required maxLength={200} /></label>
            <button type="submit">{t('unit.add')}</button>
          </form>
        )}
        {children(unit.id).length > 0 && <ul>{children(unit.id).map(renderUnit)}</ul>}
      </li>
    );
  };

  return (
    <section aria-labelledby="org-title">
      <h1 id="org-title">{t('organisation')}</h1>
      <div aria-live="polite">
        {problem && <p class="problem" data-testid="org-problem">{t('error', { message: problem })}</p>}
        {done && <p class="ok" data-testid="org-done">{done}</p>}
      </div>
      {mayWrite && (
        <div class="toolbar">
          <label class="file">
            {t('importUnitsCsv')}
            <input type="file" accept=".csv,text/csv" onChange={async (e) => { const file = (e.currentTarget as HTMLInputElement).files?.[0]; if (file) await save({ csv: await file.text() }, 'unitsImported'); }} />
          </label>
          <p class="hint">{t('importUnitsHint')}</p>
        </div>
      )}
      {units === null ? (
        <p>{t('loading')}</p>
      ) : (
        <ul class="org" data-testid="org-tree">{children(undefined).map(renderUnit)}</ul>
      )}
    </section>
  );
}
