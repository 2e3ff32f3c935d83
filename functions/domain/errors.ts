/**
 * Failures the domain and application layers report. They carry a kind, not an HTTP status: the
 * HTTP layer maps kinds to statuses, and only these (client-caused) errors have messages that may
 * be shown to a caller. Anything else is an internal fault and is reported as a bare 500.
 */
export interface Problem {
  /** Where the problem is, e.g. `index.elements[1].weight` or `answers.q3`. */
  path: string;
  message: string;
}

export type FailureKind = 'validation' | 'not-found' | 'conflict' | 'gone' | 'unauthorized' | 'forbidden' | 'throttled';

export class DomainError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly problems: Problem[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalid = (problems: Problem[], message = 'invalid input') => new DomainError('validation', message, problems);
export const notFound = (message: string) => new DomainError('not-found', message);
export const conflict = (message: string) => new DomainError('conflict', message);
export const gone = (message: string) => new DomainError('gone', message);
export const unauthorized = (message = 'Unauthorized') => new DomainError('unauthorized', message);
/** The caller is known but may not do this: its role does not allow it, or the target is outside its scope. */
export const forbidden = (message: string) => new DomainError('forbidden', message);

/** Too many attempts: `retryAfterSeconds` tells the caller when to try again. */
export class ThrottledError extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('throttled', message);
  }
}

/** Formats a zod issue path (['index','elements',1,'weight']) as `index.elements[1].weight`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, part) => {
    if (typeof part === 'number') return `${text}[${part}]`;
    const name = String(part);
    return text === '' ? name : `${text}.${name}`;
  }, '');
}

/** zod issues as problems, optionally under a prefix path. */
export function problemsFromZod(issues: readonly { path: readonly PropertyKey[]; message: string }[], prefix: PropertyKey[] = []): Problem[] {
  return issues.map((issue) => ({ path: formatPath([...prefix, ...issue.path]) || '(root)', message: issue.message }));
}
