/**
 * Whether a free-form JSON document (a questionnaire draft: any shape, valid or not) can be kept
 * as one DynamoDB item as it is: no map key DynamoDB's marshaller or JavaScript objects cannot hold
 * (empty, `constructor`, `__proto__`, `prototype`), no nesting deeper than DynamoDB's 32 levels
 * allow with room for the item around it, no number it would refuse. Each problem names its path.
 */
import { formatPath, type Problem } from './errors';
import { isReservedKey } from './primitives';
import { unstorableNumbers } from './storable-numbers';

/** Levels of nesting a stored document may have (DynamoDB allows 32 in the whole item). */
export const MAX_DOCUMENT_DEPTH = 24;

/**
 * An upper bound of the bytes DynamoDB counts for a value: strings by their UTF-8 bytes, a
 * number as the 21 bytes it may take, a list or map 3 bytes plus 1 per element and its keys.
 */
export function storedSizeBound(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number') return 21;
  if (typeof value === 'boolean' || value === null || value === undefined) return 1;
  if (Array.isArray(value)) return value.reduce<number>((sum, item) => sum + 1 + storedSizeBound(item), 3);
  if (typeof value === 'object') return Object.entries(value).reduce<number>((sum, [key, item]) => sum + 1 + Buffer.byteLength(key) + storedSizeBound(item), 3);
  return 0;
}

export function storableDocumentProblems(document: unknown, at: readonly (string | number)[] = []): Problem[] {
  const problems: Problem[] = [];
  const visit = (value: unknown, path: (string | number)[]) => {
    if (problems.length >= 20) return;
    if (path.length - at.length > MAX_DOCUMENT_DEPTH) {
      problems.push({ path: formatPath(path), message: `nested more than ${MAX_DOCUMENT_DEPTH} levels deep` });
      return;
    }
    if (Array.isArray(value)) value.forEach((item, i) => visit(item, [...path, i]));
    else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (key === '' || isReservedKey(key)) problems.push({ path: formatPath([...path, key]), message: key === '' ? 'a key may not be empty' : `"${key}" is reserved; choose another key` });
        else visit(item, [...path, key]);
      }
    }
  };
  visit(document, [...at]);
  for (const number of unstorableNumbers(document)) problems.push({ path: formatPath([...at, ...number.path.split('.')]), message: `the number ${number.value} cannot be stored` });
  return problems;
}
