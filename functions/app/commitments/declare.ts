/**
 * Declaring service commitments (POST /admin/commitments; the local runtime declares
 * surveys/commitments/*.yaml through functions/local/commitment-files.ts) and listing them.
 * Declarations live in one partition (`COMMITMENTS`, docs/storage.md).
 */
import { createHash } from 'node:crypto';
import { validateCommitments, type Commitment } from '../../domain/commitments';
import { invalid } from '../../domain/errors';
import { canonicalJson } from '../../domain/canonical-json';
import type { Deps } from '../deps';

export type DeclarationStatus = 'created' | 'updated' | 'unchanged';

export interface DeclareResult {
  commitments: { id: string; status: DeclarationStatus }[];
}

const fingerprintOf = (commitment: Commitment): string => createHash('sha256').update(canonicalJson(commitment)).digest('hex');

/**
 * POST /admin/commitments `{ commitments: [...] }`: validated as a whole (400 with path-named
 * errors, nothing stored), then each declaration replaces the one with its id; other declared
 * commitments stay. The same content again changes nothing (`unchanged`).
 */
export async function declareCommitments(deps: Pick<Deps, 'store' | 'clock'>, input: unknown): Promise<DeclareResult> {
  const result = validateCommitments(input);
  if (!result.ok) throw invalid(result.errors, 'the commitments are invalid');
  const now = deps.clock.now().toISOString();
  const declared: DeclareResult['commitments'] = [];
  for (const commitment of result.commitments) {
    const fingerprint = fingerprintOf(commitment);
    const existing = await deps.store.getCommitment(commitment.id);
    if (existing?.fingerprint === fingerprint) {
      declared.push({ id: commitment.id, status: 'unchanged' });
      continue;
    }
    await deps.store.putCommitment({ commitmentId: commitment.id, definition: commitment, fingerprint, declaredAt: existing?.declaredAt ?? now, updatedAt: now });
    declared.push({ id: commitment.id, status: existing ? 'updated' : 'created' });
  }
  return { commitments: declared };
}

/** GET /admin/commitments: every declared commitment, by id. */
export async function listCommitments(deps: Pick<Deps, 'store'>): Promise<{ commitments: Commitment[] }> {
  const records = await deps.store.listCommitmentRecords();
  return { commitments: records.map((record) => record.definition).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) };
}
