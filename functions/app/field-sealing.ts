/**
 * Sealing what was written before field encryption was turned on: the retention job runs this
 * pass (and the local platform at start) until the whole table has been visited once; then the
 * table is marked sealed and lookups stop reading the clear form of keys (docs/privacy.md).
 * Resumable: the cursor is the last page's key, kept with the retention cursors.
 */
import type { Deps } from './deps';

export interface FieldSealingSummary {
  /** Contacts and invitation snapshots whose clear fields were sealed on this run. */
  fieldsSealed: number;
  /** Items whose key held a number or address in clear, moved to its hashed form. */
  keysMoved: number;
  /** Whether the whole table is sealed now. */
  done: boolean;
}

const CURSOR = 'fieldSealing';
const PAGE_SIZE = 200;

/**
 * One run of the pass, for at most `budgetMs` by the clock (then the next run goes on from where
 * this one stopped); undefined when field encryption is off.
 */
export async function sealClearFields(deps: Pick<Deps, 'store' | 'clock' | 'config' | 'logger'>, budgetMs = Number.POSITIVE_INFINITY): Promise<FieldSealingSummary | undefined> {
  if (!deps.config.fieldEncryption.enabled) return undefined;
  const summary: FieldSealingSummary = { fieldsSealed: 0, keysMoved: 0, done: true };
  if (await deps.store.fieldsSealedAt()) return summary;
  const started = deps.clock.now().getTime();
  let cursor = await deps.store.retentionCursor(CURSOR);
  do {
    if (deps.clock.now().getTime() - started > budgetMs) {
      summary.done = false;
      break;
    }
    const page = await deps.store.sealClearFieldsPage(cursor, PAGE_SIZE);
    summary.fieldsSealed += page.sealed;
    summary.keysMoved += page.moved;
    cursor = page.cursor;
    // The cursor moves after its page is done: a crash redoes one page, whose writes are idempotent.
    if (cursor) await deps.store.setRetentionCursor(CURSOR, cursor);
  } while (cursor);
  if (summary.done) await deps.store.markFieldsSealed(deps.clock.now().toISOString());
  if (summary.fieldsSealed + summary.keysMoved > 0) deps.logger.info('personal fields sealed', { ...summary });
  return summary;
}
