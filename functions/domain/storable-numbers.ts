/**
 * DynamoDB stores a number only when it is finite and, through the document client, within
 * ±Number.MAX_SAFE_INTEGER; one figure outside that refuses the whole batch it is written in. The
 * computation passes every analysis result and every checkpoint accumulator through these checks
 * before writing, so one unit's degenerate data (two responses, identical answers) costs that
 * figure, never the run.
 */

/** Where in a JSON-like value a number that cannot be stored was found, and what it was. */
export interface UnstorableNumber {
  /** Dotted path from the value's root, e.g. `satisfaction.standardizedAlpha` or `cross.12`. */
  path: string;
  /** `Infinity`, `-Infinity`, `NaN`, or the out-of-range number as text. */
  value: string;
}

const isStorable = (n: number): boolean => Number.isFinite(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER;

const join = (path: string, key: string | number): string => (path === '' ? String(key) : `${path}.${key}`);

function walk(value: unknown, path: string, found: UnstorableNumber[], replace: boolean): unknown {
  if (typeof value === 'number') {
    if (isStorable(value)) return value;
    found.push({ path, value: String(value) });
    return replace ? null : value;
  }
  if (Array.isArray(value)) {
    const items = value.map((item, i) => walk(item, join(path, i), found, replace));
    return replace ? items : value;
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = Object.entries(value).map(([key, item]) => [key, walk(item, join(path, key), found, replace)] as const);
    return replace ? Object.fromEntries(entries) : value;
  }
  return value;
}

/** Whether every number in `value` can be stored: one pass without copies or paths (the common case). */
function allStorable(value: unknown): boolean {
  if (typeof value === 'number') return isStorable(value);
  if (Array.isArray(value)) {
    for (const item of value) if (!allStorable(item)) return false;
    return true;
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const key in value) if (!allStorable((value as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/** The numbers of `value` that DynamoDB would refuse, in document order. */
export function unstorableNumbers(value: unknown): UnstorableNumber[] {
  const found: UnstorableNumber[] = [];
  if (!allStorable(value)) walk(value, '', found, false);
  return found;
}

/**
 * `value` with every number DynamoDB would refuse replaced by null (a figure that cannot be
 * computed is shown as missing), and where they were. The input is not changed.
 */
export function withStorableNumbers<T>(value: T): { value: T; replaced: UnstorableNumber[] } {
  if (allStorable(value)) return { value, replaced: [] };
  const replaced: UnstorableNumber[] = [];
  const result = walk(value, '', replaced, true) as T;
  return { value: replaced.length === 0 ? value : result, replaced };
}
