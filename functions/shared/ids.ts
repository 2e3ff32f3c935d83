import { randomBytes, randomUUID } from 'node:crypto';

/** Respondent tokens: 192 random bits, URL-safe (32 characters). The contract asks for >= 128. */
export const newToken = (): string => randomBytes(24).toString('base64url');

/** Identifiers that are not secrets. */
export const newId = (prefix: string): string => `${prefix}_${randomUUID().replace(/-/g, '')}`;
