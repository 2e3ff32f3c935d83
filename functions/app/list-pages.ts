/** What every cursor-paginated list route shares (docs/api.md, "Lists are cursor-paginated"). */
import { invalid } from '../domain/errors';
import * as z from '../domain/zod';
import type { AccessCheck } from './access';
import { InvalidCursorError } from './ports';

export const MAX_PAGE_SIZE = 100;

/** `limit` and `cursor`, as every cursor-paginated list route takes them. */
export const pageQueryShape = {
  limit: z.optional(z.coerce.number().check(z.int(), z.gte(1), z.lte(MAX_PAGE_SIZE))),
  // A campaign list's cursor holds a position per unit of the reader: room for about seventy.
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(8192))),
};

/** A list's own position as an opaque cursor (base64url JSON): read back only by `decodePageCursor`. */
export const encodePageCursor = (position: unknown): string => Buffer.from(JSON.stringify(position)).toString('base64url');

/** The position a cursor of this list holds; anything else (forged, another list's) is a 400 at `cursor`. */
export function decodePageCursor<S extends z.ZodMiniType>(cursor: string, schema: S): z.infer<S> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalid([{ path: 'cursor', message: 'the cursor is not one this list gave out' }], 'invalid cursor');
  return parsed.data;
}

/** A cursor this route did not give out is a 400 like any other bad query. */
export async function withCursor<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof InvalidCursorError) throw invalid([{ path: 'cursor', message: error.message }], 'invalid cursor');
    throw error;
  }
}

/** The reader's top units: the granted units not below another granted one (counts are summed over them once). */
export async function topUnits(access: AccessCheck): Promise<string[]> {
  const scope = await access.scope();
  const granted = new Set(scope.units.filter((id) => scope.tree.has(id)));
  return [...granted].filter((id) => !scope.tree.path(id).some((ancestor) => ancestor !== id && granted.has(ancestor)));
}

