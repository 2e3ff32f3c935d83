import { invalid, problemsFromZod } from '../domain/errors';
import { mergeOrgUnits, orgUnitsRequestSchema } from '../domain/org';
import type { Deps } from './deps';

/** Creates or updates units; the whole request is refused if the resulting tree would be invalid. */
export async function upsertOrgUnits(deps: Pick<Deps, 'store'>, input: unknown): Promise<{ upserted: number; total: number }> {
  const parsed = orgUnitsRequestSchema.safeParse(input);
  if (!parsed.success) throw invalid(problemsFromZod(parsed.error.issues), 'invalid organisation units');
  const incoming = parsed.data.units.map((u) => ({ id: u.id, name: u.name, ...(u.parentId ? { parentId: u.parentId } : {}) }));
  const { units, problems } = mergeOrgUnits(await deps.store.listOrgUnits(), incoming);
  if (problems.length > 0) throw invalid(problems, 'the organisation tree would be invalid');
  await deps.store.putOrgUnits(incoming);
  return { upserted: incoming.length, total: units.length };
}
