/** One conditional rewrite of a case, shared by a person's erasure and the retention purge (kept apart from case-opening so their bundles stay small). */
import type { CaseRecord } from '../domain/cases/case';
import type { Deps } from './deps';

/**
 * Rewrites a case by `change` on its version, reading it again when someone moved it on
 * meanwhile (a few times at most). True when a change was written; false when there was nothing
 * to change (or the case is gone).
 */
export async function rewriteCase(deps: Pick<Deps, 'store'>, c: CaseRecord, change: (c: CaseRecord) => { record: CaseRecord; changed: boolean }): Promise<boolean> {
  for (let current: CaseRecord | undefined = c, attempt = 0; current && attempt < 5; attempt += 1) {
    const { record, changed } = change(current);
    if (!changed) return false;
    if (await deps.store.replaceCase(record, current.version)) return true;
    current = await deps.store.getCase(current.caseId);
  }
  if (await deps.store.getCase(c.caseId)) throw new Error(`case ${c.caseId} kept changing while it was rewritten`);
  return false;
}

