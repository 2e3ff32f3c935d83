/**
 * A store of only the entity modules a function names. A Lambda entry declares the modules it uses
 * (`dynamodb(surveyItems, invitationItems, responseItems)` in functions/runtime/), so its bundle
 * holds those modules and no other; calling a method of a module it did not name throws, naming the
 * method, instead of failing somewhere inside. The local runtime gives each handler the same view of
 * its full store (`storeView`), so the integration tests run every handler with what its entry
 * declares, and the bundling test checks that no bundle calls a method its modules lack.
 */
import type { Store } from '../app/ports';
import type { Table } from './table';

/** An entity module of the store (./surveys.ts `surveyItems`, ...): its part of `Store`, over the table. */
export type StorePart = (table: Table) => Partial<Store>;

const missing = (method: string) =>
  new Error(
    `this function's store has no ${method}: its entry must name the store module that provides it in dynamodb(...) (functions/runtime/)`,
  );

/** `methods` of `source` as a `Store`; any other method throws when it is read. */
function guarded(source: Partial<Store>, methods: ReadonlySet<string>): Store {
  return new Proxy(source, {
    get(target, property, receiver) {
      if (typeof property === 'symbol' || property === 'then' || property === 'toJSON') return Reflect.get(target, property, receiver);
      if (!methods.has(property)) throw missing(property);
      return Reflect.get(target, property, receiver);
    },
    has: (target, property) => typeof property === 'string' && methods.has(property) && property in target,
  }) as Store;
}

/** The store built from the named modules only (Lambda). */
export function partialStore(table: Table, parts: readonly StorePart[]): Store {
  const source: Partial<Store> = Object.assign({}, ...parts.map((part) => part(table)));
  return guarded(source, new Set(Object.keys(source)));
}

/** The method names the modules provide (each module builds closures only, so a placeholder table serves). */
export function storeMethods(parts: readonly StorePart[]): Set<string> {
  const placeholder = {} as Table;
  return new Set(parts.flatMap((part) => Object.keys(part(placeholder))));
}

/**
 * A full store seen as if built from `parts` only (the local runtime, per handler). The store is
 * looked up at every call, so a test that replaces a method or the store itself is seen.
 */
export function storeView(store: () => Store, parts: readonly StorePart[]): Store {
  const methods = storeMethods(parts);
  const view = {} as Record<string, unknown>;
  for (const method of methods) {
    view[method] = (...args: unknown[]) => (store() as unknown as Record<string, (...args: unknown[]) => unknown>)[method]!(...args);
  }
  return guarded(view as Partial<Store>, methods);
}
