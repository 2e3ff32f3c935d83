/**
 * The machinery of the route fuzzer (test/integration/fuzz-routes.test.ts): requests described as
 * small, printable specs (so fast-check's counterexample reads `{ t: 'deep', n: 10000, open: '[' }`,
 * not 20,000 brackets) and built into raw bytes; a raw HTTP client that sends
 * exactly those bytes (no URL normalisation, any content type, invalid UTF-8); and a recorder of
 * the DynamoDB commands that tags each command with the fuzz request that caused it.
 *
 * Tagging: every fuzz request carries `x-fuzz-request: <n>`; `tagIncomingRequests` runs the
 * server's "request" listeners inside an AsyncLocalStorage holding that tag, so a command sent while
 * serving the request (and anything it awaits: the audit record, the in-process queue) carries it,
 * and a command of a timer (the local dispatcher's schedule) carries none.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { isUtf8 } from 'node:buffer';
import { request as httpRequest, Server, type IncomingMessage } from 'node:http';
import * as fc from 'fast-check';
import type { TestPlatform } from './platform';

// ---- tagging and the command recorder ----------------------------------------------------------

export const FUZZ_HEADER = 'x-fuzz-request';
const requestTag = new AsyncLocalStorage<string>();

/** Runs each incoming request carrying FUZZ_HEADER in its own context; returns the undo. */
export function tagIncomingRequests(): () => void {
  const original = Server.prototype.emit as (this: Server, event: string | symbol, ...args: unknown[]) => boolean;
  Server.prototype.emit = function emit(this: Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'request') {
      const tag = (args[0] as IncomingMessage).headers[FUZZ_HEADER];
      if (typeof tag === 'string') return requestTag.run(tag, () => original.call(this, event, ...args));
    }
    return original.call(this, event, ...args);
  } as typeof Server.prototype.emit;
  return () => {
    Server.prototype.emit = original as typeof Server.prototype.emit;
  };
}

export const currentTag = (): string | undefined => requestTag.getStore();

export interface RecordedCommand {
  tag: string | undefined;
  name: string;
  /** The partition keys it writes or reads (Item.pk, Key.pk, every request of a batch). */
  pks: string[];
  ok: boolean;
  /** The error's name when it failed (ConditionalCheckFailedException: a condition refused the write, nothing stored). */
  error?: string;
}

export const WRITE_COMMANDS = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
  'PutCommand',
  'UpdateCommand',
  'DeleteCommand',
  'BatchWriteCommand',
  'TransactWriteCommand',
]);

const pkText = (pk: unknown): string | undefined => (typeof pk === 'string' ? pk : typeof (pk as { S?: unknown } | undefined)?.S === 'string' ? (pk as { S: string }).S : undefined);

function partitionsOf(input: Record<string, unknown>): string[] {
  const pks: (string | undefined)[] = [];
  const item = input.Item as { pk?: unknown } | undefined;
  const key = input.Key as { pk?: unknown } | undefined;
  if (item) pks.push(pkText(item.pk));
  if (key) pks.push(pkText(key.pk));
  // BatchWriteItem: { table: [{ PutRequest } | { DeleteRequest }] }; BatchGetItem: { table: { Keys } } (not a write).
  for (const requests of Object.values((input.RequestItems as Record<string, unknown> | undefined) ?? {})) {
    if (!Array.isArray(requests)) continue;
    for (const request of requests as { PutRequest?: { Item?: { pk?: unknown } }; DeleteRequest?: { Key?: { pk?: unknown } } }[]) {
      pks.push(pkText(request.PutRequest?.Item?.pk ?? request.DeleteRequest?.Key?.pk));
    }
  }
  return pks.filter((pk): pk is string => pk !== undefined);
}

/** Records every command the platform's DynamoDB client sends, with its fuzz tag and outcome. */
export function recordCommands(platform: TestPlatform): RecordedCommand[] {
  const recorded: RecordedCommand[] = [];
  platform.deps.store.client.middlewareStack.add(
    (next, context) => async (args) => {
      const entry: RecordedCommand = { tag: currentTag(), name: String(context.commandName), pks: partitionsOf(args.input as Record<string, unknown>), ok: true };
      recorded.push(entry);
      try {
        return await next(args);
      } catch (error) {
        entry.ok = false;
        entry.error = (error as Error).name;
        throw error;
      }
    },
    { step: 'initialize', name: 'fuzzRecordCommands' },
  );
  return recorded;
}

// ---- the raw HTTP client -------------------------------------------------------------------------

export interface RawRequest {
  method: string;
  /** Sent exactly as given (no normalisation of "..", percent-encoding or bytes 0x80-0xff). */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One request on a fresh connection; rejects when the server drops it or does not answer in time. */
export function send(baseUrl: string, request: RawRequest, timeoutMs = 20_000): Promise<RawResponse> {
  const base = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: base.hostname,
        port: base.port,
        method: request.method,
        path: request.path,
        headers: { ...request.headers, ...(request.body ? { 'content-length': String(request.body.length) } : {}) },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    if (request.body) req.end(request.body);
    else req.end();
  });
}

// ---- values: JSON with hostile parts -------------------------------------------------------------

/**
 * A JSON value to put somewhere. `raw` is spliced into the text as it is (numbers JSON.stringify
 * cannot write, deep nesting), `proto` is an object whose own key is `__proto__`, `constructor` or
 * `prototype` (JSON.stringify writes an own `__proto__` property; JSON.parse makes it one again).
 */
export type ValueSpec =
  | { t: 'json'; v: unknown }
  | { t: 'long'; n: number; ch: string }
  | { t: 'array'; n: number; of: ValueSpec }
  | { t: 'deep'; n: number; open: '[' | '{"a":' | '{"__proto__":' }
  | { t: 'proto'; key: string; v: ValueSpec }
  | { t: 'raw'; text: string };

export const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '', ' ', '.', '__defineGetter__'] as const;

/** Numbers and literals JSON.stringify never writes but a client can send. */
const RAW_NUMBERS = ['1e400', '-1e400', '-0', '1e-400', '9007199254740992', '-9007199254740992', '9007199254740993', '0.1e1', '1E2', '123456789012345678901234567890', '-9223372036854775809', '4.000000000000001'];

export function valueSpec(depth = 2): fc.Arbitrary<ValueSpec> {
  const leaf: fc.Arbitrary<ValueSpec> = fc.oneof(
    { weight: 5, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => ({ t: 'json' as const, v })) },
    { weight: 2, arbitrary: fc.record({ t: fc.constant('long' as const), n: fc.constantFrom(129, 257, 1025, 10_000, 70_000), ch: fc.constantFrom('a', '7', 'é', '😀', ' ', '\u0000', '"', '\\', '<', '\u202e') }) },
    { weight: 1, arbitrary: fc.record({ t: fc.constant('deep' as const), n: fc.constantFrom(100, 1000, 10_000, 100_000), open: fc.constantFrom('[' as const, '{"a":' as const, '{"__proto__":' as const) }) },
    { weight: 2, arbitrary: fc.record({ t: fc.constant('raw' as const), text: fc.constantFrom(...RAW_NUMBERS) }) },
    {
      weight: 3,
      arbitrary: fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, '', ' ', '0', 'null', [], {}, [[]], [{}], 'hq', 'mini-csi', '2026-11', '2026-13', '+8613800000001', 'a@example.com', 'PT6H').map((v) => ({ t: 'json' as const, v })),
    },
  );
  if (depth <= 0) return leaf;
  const inner = valueSpec(depth - 1);
  return fc.oneof(
    { weight: 6, arbitrary: leaf },
    { weight: 1, arbitrary: fc.record({ t: fc.constant('array' as const), n: fc.constantFrom(2, 1001, 10_001, 100_000), of: inner }) },
    { weight: 1, arbitrary: fc.record({ t: fc.constant('proto' as const), key: fc.constantFrom(...HOSTILE_KEYS), v: inner }) },
  );
}

const MAX_BUILT_BYTES = 7 * 1024 * 1024;

/** Builds a value; raw parts become placeholders that `serialise` replaces. */
class JsonBuilder {
  private readonly raws: string[] = [];

  value(spec: ValueSpec): unknown {
    switch (spec.t) {
      case 'json':
        return structuredClone(spec.v);
      case 'long':
        return spec.ch.repeat(spec.n);
      case 'array': {
        const element = this.value(spec.of);
        // One element shared n times (JSON.stringify writes it n times), at most about 7 MiB in all.
        return Array.from({ length: this.fitting(spec.n, element) }, () => element);
      }
      case 'deep': {
        const close = spec.open === '[' ? ']' : '}';
        return this.raw(`${spec.open.repeat(spec.n)}1${close.repeat(spec.n)}`);
      }
      case 'proto':
        return withKey({}, spec.key, this.value(spec.v));
      case 'raw':
        return this.raw(spec.text);
    }
  }

  /** n, or fewer so that n copies of `element` stay within about 7 MiB of text (the limit is 6 MiB: some are 413). */
  fitting(n: number, element: unknown): number {
    return Math.max(1, Math.min(n, Math.floor(MAX_BUILT_BYTES / Math.max(1, this.serialise(element).length + 1))));
  }

  /** The length of the text `serialise` would write, without writing it (copies counted once each time they appear). */
  estimate(value: unknown, memo = new Map<object, number>()): number {
    if (typeof value === 'string') {
      const raw = /^@@RAW(\d+)@@$/.exec(value);
      return raw ? (this.raws[Number(raw[1])]?.length ?? 4) : JSON.stringify(value).length;
    }
    if (value === null || typeof value !== 'object') return String(value).length;
    const known = memo.get(value);
    if (known !== undefined) return known;
    memo.set(value, 0); // (no cycles: a guard all the same)
    const size = Array.isArray(value)
      ? value.reduce<number>((sum, item) => sum + this.estimate(item, memo) + 1, 2)
      : Object.entries(value).reduce((sum, [key, item]) => sum + JSON.stringify(key).length + 2 + this.estimate(item, memo), 2);
    memo.set(value, size);
    return size;
  }

  raw(text: string): string {
    this.raws.push(text);
    return `@@RAW${this.raws.length - 1}@@`;
  }

  serialise(value: unknown): string {
    const text = JSON.stringify(value) ?? 'null';
    return text.replace(/"@@RAW(\d+)@@"/g, (_match, index: string) => this.raws[Number(index)] ?? 'null');
  }
}

/** Sets an own, enumerable key (also `__proto__`, which plain assignment would treat as the prototype). */
export function withKey<T extends object>(target: T, key: string, value: unknown): T {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}

// ---- bodies --------------------------------------------------------------------------------------

/** A change to the route's valid body: at a node chosen by index (modulo the nodes it has). */
export type Mutation =
  | { op: 'delete'; at: number }
  | { op: 'set'; at: number; v: ValueSpec }
  | { op: 'add'; at: number; key: string; v: ValueSpec }
  /** An array of the template repeated: its first element n times (list limits: 5,000 units, 10,000 contacts). */
  | { op: 'repeat'; at: number; n: number };

export type BodySpec =
  | { kind: 'none' }
  | { kind: 'template' }
  | { kind: 'mutated'; changes: Mutation[] }
  | { kind: 'value'; v: ValueSpec }
  | { kind: 'text'; text: string }
  /** The template's JSON text with bytes inserted at a position (modulo its length): invalid UTF-8. */
  | { kind: 'bytes'; at: number; bytes: number[] }
  | { kind: 'form'; pairs: [string, string][]; raw: string }
  | { kind: 'multipart'; fields: [string, string][] }
  | { kind: 'csv'; rows: string[][]; bytes: number[] };

const INVALID_UTF8 = [
  [0xff],
  [0xfe, 0xff],
  [0xc3, 0x28],
  [0xc0, 0xaf],
  [0xe0, 0x80, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0x80],
  [0xe2, 0x82],
  [0x00],
  [0xef, 0xbb, 0xbf],
];

const NON_JSON_TEXTS = ['{', '}', '[', '{"a":', 'null', 'undefined', 'NaN', 'Infinity', "{'a':1}", '{"a":1,}', '[1,]', '\u0000', ' \n\t ', '{"answers":{"q1":4}}garbage', 'true false', '"', '0x10', '{"a":1}{"b":2}', '\ufeff{}'];

/** Paths of a JSON value: every property and element below the root (the root itself is index 0). */
interface Node {
  parent: Record<string, unknown> | unknown[] | undefined;
  key: string | number | undefined;
  value: unknown;
}

function nodesOf(root: unknown): Node[] {
  const nodes: Node[] = [{ parent: undefined, key: undefined, value: root }];
  const seen = new Set<object>();
  const walk = (value: unknown) => {
    if (value !== null && typeof value === 'object') {
      // Copies of one element (a repeated array) are walked once.
      if (seen.has(value)) return;
      seen.add(value);
    }
    if (Array.isArray(value)) {
      value.forEach((element, index) => {
        nodes.push({ parent: value, key: index, value: element });
        walk(element);
      });
    } else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        nodes.push({ parent: value as Record<string, unknown>, key, value: inner });
        walk(inner);
      }
    }
  };
  walk(root);
  return nodes;
}

/** Applies the changes one by one; a change that would make the text longer than MAX_BUILT_BYTES is left out (copies share their elements). */
function mutate(template: unknown, changes: readonly Mutation[], builder: JsonBuilder): unknown {
  let root = structuredClone(template);
  for (const change of changes) {
    const undo = apply(change);
    if (undo && builder.estimate(root) > MAX_BUILT_BYTES) undo();
  }
  return root;

  function apply(change: Mutation): (() => void) | undefined {
    const nodes = nodesOf(root);
    if (change.op === 'add') {
      const containers = nodes.filter((node) => node.value !== null && typeof node.value === 'object' && !Array.isArray(node.value));
      const target = containers[change.at % Math.max(1, containers.length)]?.value as Record<string, unknown> | undefined;
      if (!target) return undefined;
      const had = Object.hasOwn(target, change.key);
      const previous = target[change.key];
      withKey(target, change.key, builder.value(change.v));
      return () => (had ? withKey(target, change.key, previous) : delete target[change.key]);
    }
    if (change.op === 'repeat') {
      const arrays = nodes.filter((node) => Array.isArray(node.value) && (node.value as unknown[]).length > 0);
      const list = arrays[change.at % Math.max(1, arrays.length)]?.value as unknown[] | undefined;
      if (!list) return undefined;
      const previous = [...list];
      const copies = Array.from({ length: builder.fitting(change.n, list[0]) }, () => list[0]);
      list.length = 0;
      for (const copy of copies) list.push(copy);
      return () => {
        list.length = 0;
        for (const item of previous) list.push(item);
      };
    }
    const node = nodes[change.at % nodes.length];
    if (!node) return undefined;
    const replacement = change.op === 'set' ? builder.value(change.v) : undefined;
    const { parent, key, value: previous } = node;
    if (parent === undefined) {
      root = change.op === 'set' ? replacement : {};
      return () => {
        root = previous;
      };
    }
    if (Array.isArray(parent)) {
      const index = key as number;
      if (change.op === 'set') parent[index] = replacement;
      else parent.splice(index, 1);
      return () => (change.op === 'set' ? (parent[index] = previous) : parent.splice(index, 0, previous));
    }
    if (change.op === 'set') withKey(parent, key as string, replacement);
    else delete parent[key as string];
    return () => withKey(parent, key as string, previous);
  }
}

/** Percent-encodes the UTF-8 bytes of a text (a lone surrogate becomes U+FFFD's bytes) but letters, digits and `-._~`. */
export const percentEncode = (text: string): string =>
  [...Buffer.from(text, 'utf8')].map((byte) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)).join('');

export interface RouteTemplate {
  /** The valid JSON body, if the route takes one. */
  json?: unknown;
  /** The valid form fields, if the route takes a form post. */
  form?: [string, string][];
  /** The valid CSV rows, if the route takes text/csv. */
  csv?: string[][];
  /** The valid query parameters. */
  query?: Record<string, string>;
  /** Valid values of each path parameter (a fuzz request picks one by index, or something hostile). */
  params?: Record<string, () => readonly string[]>;
}

export function buildBody(spec: BodySpec, template: RouteTemplate): { body?: Buffer; contentType?: string } {
  const builder = new JsonBuilder();
  const json = (value: unknown) => ({ body: Buffer.from(builder.serialise(value), 'utf8'), contentType: 'application/json' });
  switch (spec.kind) {
    case 'none':
      return {};
    case 'template':
      if (template.json !== undefined) return json(template.json);
      if (template.form) return { body: Buffer.from(new URLSearchParams(template.form).toString()), contentType: 'application/x-www-form-urlencoded' };
      return {};
    case 'mutated':
      return json(mutate(template.json ?? {}, spec.changes, builder));
    case 'value':
      return json(builder.value(spec.v));
    case 'text':
      return { body: Buffer.from(spec.text, 'utf8'), contentType: 'text/plain' };
    case 'bytes': {
      const text = Buffer.from(builder.serialise(template.json ?? { a: 'b' }), 'utf8');
      const at = spec.at % (text.length + 1);
      return { body: Buffer.concat([text.subarray(0, at), Buffer.from(spec.bytes), text.subarray(at)]), contentType: 'application/json' };
    }
    case 'form': {
      const encoded = spec.pairs.map(([key, value]) => `${percentEncode(key)}=${percentEncode(value)}`);
      return { body: Buffer.from([...encoded, spec.raw].filter((part) => part !== '').join('&'), 'latin1'), contentType: 'application/x-www-form-urlencoded' };
    }
    case 'multipart': {
      const boundary = 'fuzzboundary0123';
      const parts = spec.fields.map(([name, value]) => `--${boundary}\r\ncontent-disposition: form-data; name="${name.replace(/"/g, '%22')}"\r\n\r\n${value}\r\n`);
      return { body: Buffer.from(`${parts.join('')}--${boundary}--\r\n`, 'utf8'), contentType: `multipart/form-data; boundary=${boundary}` };
    }
    case 'csv': {
      const text = spec.rows.map((row) => row.join(',')).join('\n');
      return { body: Buffer.concat([Buffer.from(text, 'utf8'), Buffer.from(spec.bytes)]), contentType: 'text/csv' };
    }
  }
}

function mutationArb(): fc.Arbitrary<Mutation> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat(200) }) },
    { weight: 5, arbitrary: fc.record({ op: fc.constant('set' as const), at: fc.nat(200), v: valueSpec() }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('add' as const), at: fc.nat(50), key: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...HOSTILE_KEYS) }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) }), v: valueSpec(1) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('repeat' as const), at: fc.nat(20), n: fc.constantFrom(2, 10_001) }) },
  );
}

const stringish = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.constantFrom('', 'a'.repeat(10_000), '😀'.repeat(300), '\u0000', '%', '%ZZ', '&', '=', '+', '..', '<script>', 'en', 'zh-CN', '5', '0', '-1', '6', '1.5', 'app', 'counter'),
);

export function bodySpec(template: RouteTemplate): fc.Arbitrary<BodySpec> {
  const formFields = (template.form ?? []).map(([key]) => key);
  const formKeys = fc.oneof(fc.constantFrom(...formFields, ...HOSTILE_KEYS, 'lang', '_csrf', 'next'), fc.string({ maxLength: 8 }));
  const csvRows = template.csv ?? [['name', 'phone', 'orgUnitId']];
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
    { weight: 3, arbitrary: fc.constant({ kind: 'template' as const }) },
    { weight: 10, arbitrary: fc.record({ kind: fc.constant('mutated' as const), changes: fc.array(mutationArb(), { minLength: 1, maxLength: 3 }) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('value' as const), v: valueSpec() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('text' as const), text: fc.oneof(fc.constantFrom(...NON_JSON_TEXTS), fc.string({ maxLength: 30 })) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('bytes' as const), at: fc.nat(5000), bytes: fc.constantFrom(...INVALID_UTF8) }) },
    {
      weight: template.form ? 4 : 1,
      arbitrary: fc.record({
        kind: fc.constant('form' as const),
        pairs: fc.array(fc.tuple(formKeys, stringish), { maxLength: 6 }).map((pairs) => [...(template.form ?? []), ...pairs]),
        raw: fc.constantFrom('', '%', '%ZZ=1', 'a=%E0%A4%A', '=&=&', 'lang', '\xff\xfe=\xc3\x28', 'q1=5&q1=4&q1=3'),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('multipart' as const), fields: fc.array(fc.tuple(formKeys, stringish), { maxLength: 4 }).map((fields) => [...(template.form ?? []), ...fields]) }) },
    {
      weight: template.csv ? 4 : 1,
      arbitrary: fc.record({
        kind: fc.constant('csv' as const),
        rows: fc.array(fc.array(stringish, { maxLength: 8 }), { maxLength: 4 }).map((rows) => [...csvRows, ...rows]),
        bytes: fc.oneof(fc.constant([] as number[]), fc.constantFrom(...INVALID_UTF8)),
      }),
    },
  );
}

// ---- paths and queries ---------------------------------------------------------------------------

export type SegmentSpec =
  | { kind: 'valid'; pick: number }
  | { kind: 'validPlus'; pick: number; suffix: string }
  | { kind: 'long'; n: number; unit: string }
  | { kind: 'text'; s: string }
  /** Sent as it is: malformed percent-encoding, dot segments, bytes 0x80-0xff (latin1: invalid UTF-8). */
  | { kind: 'raw'; s: string };

const RAW_SEGMENTS = ['..', '.', '%2e%2e', '%2E%2E%2Fhealth', '..%2f..%2fadmin', '%', '%G1', '%C0%AF', '%ED%A0%80', '%FF', '%00', '%2F', '%5C', '%20', '~', '\xff\xfe', '\xc3\x28', 'a%00b', '%25', '%u0041', ';', 'a;b=c', '@', '!', '*', "'", '$'];

export function segmentSpec(): fc.Arbitrary<SegmentSpec> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.record({ kind: fc.constant('valid' as const), pick: fc.nat(1000) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('validPlus' as const), pick: fc.nat(1000), suffix: fc.constantFrom('%00', '%2F..', '/..', '.', '~', '%20', '%E2%80%AE', 'A', '\xff') }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('long' as const), n: fc.constantFrom(129, 2100, 10_000), unit: fc.constantFrom('a', '%F0%9F%98%80', '.', '-', '%41', '%2E') }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('text' as const), s: fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 })) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('raw' as const), s: fc.constantFrom(...RAW_SEGMENTS) }) },
  );
}

export function buildSegment(spec: SegmentSpec, valid: readonly string[]): string {
  const pick = (index: number) => percentEncode(valid[index % Math.max(1, valid.length)] ?? 'x');
  switch (spec.kind) {
    case 'valid':
      return pick(spec.pick);
    case 'validPlus':
      return `${pick(spec.pick)}${spec.suffix}`;
    case 'long':
      return spec.unit.repeat(spec.n);
    case 'text':
      return percentEncode(spec.s);
    case 'raw':
      return spec.s;
  }
}

export type QueryValueSpec = { kind: 'valid' } | { kind: 'text'; s: string } | { kind: 'raw'; s: string } | { kind: 'long'; n: number };
export interface QueryPartSpec {
  key: { kind: 'template'; pick: number } | { kind: 'text'; s: string };
  value: QueryValueSpec;
  /** How many times the pair is repeated. */
  times: number;
}

const RAW_QUERY_VALUES = ['', '%', '%ZZ', '%E0%A4%A', '%FF', '\xff', '%00', '+', '%2B', '2026-11%00', '1e400', 'NaN', '-1', '0', '0x10', '+1+', '2026-1', '9999-99', '0000-00', '2026-02-30', '%F0%9F%98%80', 'a&b', '[]', '{}'];

/** The route's valid query, none, or parts: keys of the template or hostile ones, values valid or not, repeated. */
export type QuerySpec = { kind: 'template' } | { kind: 'none' } | { kind: 'parts'; parts: QueryPartSpec[] };

export function querySpec(): fc.Arbitrary<QuerySpec> {
  const part: fc.Arbitrary<QueryPartSpec> = fc.record({
    key: fc.oneof(
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('template' as const), pick: fc.nat(20) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('text' as const), s: fc.oneof(fc.constantFrom(...HOSTILE_KEYS, 'lang', 'period', 'next', 'token', 'panel', 'lang[]', 'a.b'), fc.string({ maxLength: 6 })) }) },
    ),
    value: fc.oneof(
      { weight: 4, arbitrary: fc.constant({ kind: 'valid' as const }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('text' as const), s: fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 6 })) }) },
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('raw' as const), s: fc.constantFrom(...RAW_QUERY_VALUES) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('long' as const), n: fc.constantFrom(1025, 10_000) }) },
    ),
    times: fc.oneof({ weight: 8, arbitrary: fc.constant(1) }, { weight: 2, arbitrary: fc.constantFrom(2, 3, 100) }),
  });
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant({ kind: 'template' as const }) },
    { weight: 2, arbitrary: fc.constant({ kind: 'none' as const }) },
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('parts' as const), parts: fc.array(part, { minLength: 1, maxLength: 5 }) }) },
  );
}

export function buildQuery(spec: QuerySpec, valid: Record<string, string>): string {
  const keys = Object.keys(valid);
  if (spec.kind === 'none') return '';
  if (spec.kind === 'template') return keys.map((key) => `${percentEncode(key)}=${percentEncode(valid[key] as string)}`).join('&');
  const pieces: string[] = [];
  for (const part of spec.parts) {
    const key = part.key.kind === 'template' ? (keys[part.key.pick % Math.max(1, keys.length)] ?? 'x') : part.key.s;
    const value =
      part.value.kind === 'valid'
        ? percentEncode(Object.hasOwn(valid, key) ? (valid[key] as string) : 'x')
        : part.value.kind === 'text'
          ? percentEncode(part.value.s)
          : part.value.kind === 'raw'
            ? part.value.s
            : 'a'.repeat(part.value.n);
    for (let i = 0; i < part.times; i++) pieces.push(`${percentEncode(key)}=${value}`);
  }
  return pieces.join('&');
}

// ---- headers -------------------------------------------------------------------------------------

export type AuthSpec = 'admin' | 'none' | 'bogus' | 'analyst' | 'cookie' | 'basic' | 'lowercase-bearer';

export interface HeaderSpec {
  auth: AuthSpec;
  /** undefined: the body's own content type; null: none at all. */
  contentType: string | null | undefined;
  accept: string | undefined;
  acceptLanguage: string | undefined;
  acceptEncoding: string | undefined;
  /** 'same': the platform's own origin. */
  origin: string | undefined;
}

export const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/json; charset=latin1',
  'application/jsonx',
  'text/plain',
  'text/plain; charset=utf-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=fuzzboundary0123',
  'multipart/form-data',
  'text/csv',
  'text/html',
  'application/octet-stream',
  'application/xml',
  ';;;',
  '',
  'x'.repeat(1000),
];

export function headerSpec(options: { admin: boolean }): fc.Arbitrary<HeaderSpec> {
  const auth = options.admin
    ? fc.oneof(
        { weight: 16, arbitrary: fc.constant<AuthSpec>('admin') },
        { weight: 1, arbitrary: fc.constant<AuthSpec>('lowercase-bearer') },
        { weight: 1, arbitrary: fc.constantFrom<AuthSpec>('none', 'bogus', 'analyst', 'cookie', 'basic') },
      )
    : fc.constantFrom<AuthSpec>('none', 'none', 'admin', 'bogus', 'cookie');
  return fc.record({
    auth,
    contentType: fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constant(null) }, { weight: 3, arbitrary: fc.constantFrom(...CONTENT_TYPES) }),
    accept: fc.constantFrom(undefined, undefined, 'text/html', 'application/json, text/html', 'text/html;q=0', '*/*', 'image/png', 'x'.repeat(1000)),
    acceptLanguage: fc.constantFrom(undefined, undefined, 'en', 'zh', 'fr, en;q=0.1', '*', 'en;q=abc', 'xx-YY-ZZ-'.repeat(100), ',,,;', 'en;q=1e400'),
    acceptEncoding: fc.constantFrom(undefined, 'br', 'gzip', 'gzip;q=0, br;q=0', 'identity;q=0', 'br;q=abc', '*', 'deflate', 'x'.repeat(1000)),
    // Mostly none: the sign-in routes refuse another site's Origin before reading anything.
    origin: fc.oneof({ weight: 10, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: fc.constant('same') }, { weight: 1, arbitrary: fc.constantFrom('null', 'http://evil.example', 'not a url') }),
  });
}

// ---- the whole request ---------------------------------------------------------------------------

export interface RequestSpec {
  params: Record<string, SegmentSpec>;
  query: QuerySpec;
  body: BodySpec;
  headers: HeaderSpec;
}

export function requestSpec(route: { path: string; admin: boolean; template: RouteTemplate }): fc.Arbitrary<RequestSpec> {
  // {name} and the greedy {name+} alike.
  const names = [...route.path.matchAll(/\{([A-Za-z0-9_]+)\+?\}/g)].map((match) => match[1] as string);
  return fc.record({
    params: fc.record(Object.fromEntries(names.map((name) => [name, segmentSpec()])) as Record<string, fc.Arbitrary<SegmentSpec>>),
    query: querySpec(),
    body: bodySpec(route.template),
    headers: headerSpec({ admin: route.admin }),
  });
}

export interface Credentials {
  adminToken: string;
  analystToken: string;
}

export function buildRequest(route: { method: string; path: string; template: RouteTemplate }, spec: RequestSpec, credentials: Credentials, host: string, tag: string): RawRequest {
  const path = route.path.replace(/\{([A-Za-z0-9_]+)\+?\}/g, (_match, name: string) => {
    const segment = spec.params[name];
    const valid = route.template.params?.[name]?.() ?? ['x'];
    return segment ? buildSegment(segment, valid) : percentEncode(valid[0] ?? 'x');
  });
  const query = buildQuery(spec.query, route.template.query ?? {});
  const { body, contentType } = buildBody(spec.body, route.template);
  const headers: Record<string, string> = { host, [FUZZ_HEADER]: tag };
  const type = spec.headers.contentType === undefined ? contentType : spec.headers.contentType;
  if (type !== null && type !== undefined) headers['content-type'] = type;
  if (spec.headers.accept !== undefined) headers.accept = spec.headers.accept;
  if (spec.headers.acceptLanguage !== undefined) headers['accept-language'] = spec.headers.acceptLanguage;
  if (spec.headers.acceptEncoding !== undefined) headers['accept-encoding'] = spec.headers.acceptEncoding;
  if (spec.headers.origin !== undefined) headers.origin = spec.headers.origin === 'same' ? `http://${host}` : spec.headers.origin;
  switch (spec.headers.auth) {
    case 'admin':
      headers.authorization = `Bearer ${credentials.adminToken}`;
      break;
    case 'lowercase-bearer':
      headers.authorization = `bearer   ${credentials.adminToken}  `;
      break;
    case 'analyst':
      headers.authorization = `Bearer ${credentials.analystToken}`;
      break;
    case 'bogus':
      headers.authorization = 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.';
      break;
    case 'basic':
      headers.authorization = `Basic ${Buffer.from(`admin:${credentials.adminToken}`).toString('base64')}`;
      break;
    case 'cookie':
      headers.cookie = 'manyi_session=%E0%A4%A; manyi_session=x.y.z; =; a';
      break;
    case 'none':
      break;
  }
  return { method: route.method, path: query ? `${path}?${query}` : path, headers, ...(body ? { body } : {}) };
}

/** A request as a failure message shows it: the line, the headers, the body's start and length. */
export function describeRequest(request: RawRequest): string {
  const line = request.path.length > 300 ? `${request.path.slice(0, 300)}… (${request.path.length} chars)` : request.path;
  const headers = Object.entries(request.headers)
    .filter(([name]) => name !== 'host')
    .map(([name, value]) => `${name}: ${value.length > 120 ? `${value.slice(0, 120)}… (${value.length} chars)` : value}`);
  // Text as UTF-8; a body that is not valid UTF-8 byte for byte (latin1), so the bad bytes show.
  const valid = request.body ? isUtf8(request.body) : true;
  const start = request.body?.subarray(0, 300).toString(valid ? 'utf8' : 'latin1');
  const body = request.body ? `${valid ? '' : '(not UTF-8, as latin1) '}${JSON.stringify(start)}${request.body.length > 300 ? `… (${request.body.length} bytes)` : ''}` : '(no body)';
  return [`${request.method} ${line}`, ...headers, body].join('\n  ');
}
