/**
 * A canonical JSON form (object keys sorted at every depth, arrays in order): equal content gives
 * equal text, so its hash fingerprints questionnaires, events, contacts and commitments.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
