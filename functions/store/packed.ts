/**
 * A compact stored form for large JSON-like values (checkpoint accumulators, report bodies): every
 * array of at least PACKED_ARRAY_MIN finite numbers goes into a binary segment of the narrowest
 * typed array that holds each number exactly (Uint8, Int16, Int32 or Float64), the rest stays JSON,
 * and the whole is deflated. As DynamoDB maps and lists of numbers the same values cost several
 * times the bytes (a number attribute is stored as a decimal string of up to 38 digits) and the
 * SDK and the engine parse every number one by one; as one binary attribute they are one opaque
 * value. Lossless for JSON values: a value reads back equal (strings such as exact decimal sums are
 * untouched; a packed array even keeps `-0`).
 *
 * Layout before deflating: a uint32 (little-endian) byte length of the JSON, the JSON text, then
 * the segments in order, each 8-byte aligned. A packed array appears in the JSON as
 * `{"$packed": [type, index, length]}`; an object that happens to have a `$packed` key of its own is
 * kept apart by wrapping it as `{"$plain": object}`.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';

/** Shorter arrays stay JSON: a segment's header and alignment would cost more than it saves. */
export const PACKED_ARRAY_MIN = 8;

const TYPES = [
  { name: 'u8', array: Uint8Array, fits: (v: number) => Number.isInteger(v) && v >= 0 && v <= 0xff && !Object.is(v, -0) },
  { name: 'i16', array: Int16Array, fits: (v: number) => Number.isInteger(v) && v >= -0x8000 && v <= 0x7fff && !Object.is(v, -0) },
  { name: 'i32', array: Int32Array, fits: (v: number) => Number.isInteger(v) && v >= -0x80000000 && v <= 0x7fffffff && !Object.is(v, -0) },
  { name: 'f64', array: Float64Array, fits: (v: number) => typeof v === 'number' },
] as const;
type TypeName = (typeof TYPES)[number]['name'];

const isNumberArray = (value: unknown[]): value is number[] => value.length >= PACKED_ARRAY_MIN && value.every((v) => typeof v === 'number' && Number.isFinite(v));

/** The value in its packed, deflated form. */
export function packValue(value: unknown): Uint8Array {
  const segments: Uint8Array[] = [];
  const replace = (node: unknown): unknown => {
    if (Array.isArray(node)) {
      if (!isNumberArray(node)) return node.map(replace);
      const type = TYPES.find((t) => node.every(t.fits))!;
      const typed = new type.array(node.length);
      typed.set(node);
      segments.push(new Uint8Array(typed.buffer));
      return { $packed: [type.name, segments.length - 1, node.length] };
    }
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(node)) if (child !== undefined) out[key] = replace(child);
      return '$packed' in out || '$plain' in out ? { $plain: out } : out;
    }
    return node;
  };
  const json = Buffer.from(JSON.stringify(replace(value) ?? null), 'utf8');
  const align = (n: number) => (n + 7) & ~7;
  let size = align(4 + json.length);
  for (const segment of segments) size = align(size + segment.length);
  const buffer = Buffer.alloc(size);
  buffer.writeUInt32LE(json.length, 0);
  json.copy(buffer, 4);
  let offset = align(4 + json.length);
  for (const segment of segments) {
    buffer.set(segment, offset);
    offset = align(offset + segment.length);
  }
  return deflateRawSync(buffer);
}

/** The value packValue was given. */
export function unpackValue(packed: Uint8Array): unknown {
  const buffer = inflateRawSync(packed);
  const jsonLength = buffer.readUInt32LE(0);
  const json = JSON.parse(buffer.toString('utf8', 4, 4 + jsonLength)) as unknown;
  // Where each segment starts: they follow the JSON in order, 8-byte aligned.
  const starts: number[] = [];
  const restore = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(restore);
    if (node !== null && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (Array.isArray(record.$packed)) {
        const [name, index, length] = record.$packed as [TypeName, number, number];
        return Array.from(segmentOf(name, index, length));
      }
      const plain = (record.$plain ?? record) as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(plain)) out[key] = restore(child);
      return out;
    }
    return node;
  };
  // Segments are laid out in the order packValue met them, which is the JSON's order too; their
  // lengths are in the references, so the offsets follow from a first pass over the references.
  const references: [TypeName, number, number][] = [];
  const collect = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(collect);
    else if (node !== null && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (Array.isArray(record.$packed)) references.push(record.$packed as [TypeName, number, number]);
      else Object.values((record.$plain ?? record) as Record<string, unknown>).forEach(collect);
    }
  };
  collect(json);
  references.sort((a, b) => a[1] - b[1]);
  let offset = (4 + jsonLength + 7) & ~7;
  for (const [name, , length] of references) {
    starts.push(offset);
    offset = (offset + length * bytesPer(name) + 7) & ~7;
  }
  function segmentOf(name: TypeName, index: number, length: number) {
    const type = TYPES.find((t) => t.name === name);
    if (!type) throw new Error(`unknown packed type ${name}`);
    const start = starts[index]!;
    // A copy: the typed array needs its own aligned buffer.
    return new type.array(buffer.buffer.slice(buffer.byteOffset + start, buffer.byteOffset + start + length * type.array.BYTES_PER_ELEMENT));
  }
  return restore(json);
}

const bytesPer = (name: TypeName) => TYPES.find((t) => t.name === name)!.array.BYTES_PER_ELEMENT;
