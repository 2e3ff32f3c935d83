/**
 * Users of the admin API and console: who they are, their role, their scope and permissions, and
 * the requests that create and change them (validated here, at the boundary, with zod).
 */
import * as z from '../zod';
import { ROLES, type Role } from './roles';

export const USER_LANGUAGES = ['zh-CN', 'en'] as const;
export type UserLanguage = (typeof USER_LANGUAGES)[number];

/** Locally chosen passwords (Cognito's own policy applies on AWS). */
export const MIN_PASSWORD_LENGTH = 12;

export interface UserRecord {
  userId: string;
  /** Lower-cased; unique among users. */
  email: string;
  name: string;
  language: UserLanguage;
  role: Role;
  /** The org units the user acts on, with everything below them. */
  orgUnits: string[];
  pii: boolean;
  /** The user's own mobile number (E.164), recorded by an admin: where a campaign's test message goes. */
  phone?: string;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
  /** Who created the user (a user id, or "break-glass"). */
  createdBy: string;
  /** Incremented by every change: updates are conditional on it, so two edits never interleave. */
  revision: number;
}

/** A local password credential (the local runtime only; on AWS Cognito holds the password). */
export interface CredentialRecord {
  userId: string;
  /** The KDF's self-describing hash (functions/local/passwords.ts): algorithm, parameters, salt, key. */
  hash: string;
  /** A temporary password: it signs in only to be replaced. */
  mustChange: boolean;
  updatedAt: string;
}

const unitIdsSchema = z
  .array(z.string().check(z.minLength(1), z.maxLength(64)))
  .check(z.minLength(1, { error: 'give at least one org unit' }), z.maxLength(50));

export const passwordSchema = z
  .string()
  .check(z.minLength(MIN_PASSWORD_LENGTH, { error: `a password has at least ${MIN_PASSWORD_LENGTH} characters` }), z.maxLength(256));

export const createUserSchema = z.strictObject({
  email: z.email().check(z.maxLength(254)),
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  role: z.enum(ROLES),
  orgUnits: unitIdsSchema,
  pii: z.optional(z.boolean()),
  language: z.optional(z.enum(USER_LANGUAGES)),
  /** The user's own mobile number (normalised to E.164 by the use case). */
  phone: z.optional(z.string().check(z.minLength(1), z.maxLength(32))),
  /** Local runtime only: the user's password; without one a temporary password is returned. */
  password: z.optional(passwordSchema),
});
export type CreateUserRequest = z.infer<typeof createUserSchema>;

export const patchUserSchema = z
  .strictObject({
    name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
    role: z.optional(z.enum(ROLES)),
    orgUnits: z.optional(unitIdsSchema),
    pii: z.optional(z.boolean()),
    language: z.optional(z.enum(USER_LANGUAGES)),
    /** null removes it. */
    phone: z.optional(z.nullable(z.string().check(z.minLength(1), z.maxLength(32)))),
    disabled: z.optional(z.boolean()),
  })
  .check(z.refine((patch) => Object.keys(patch).length > 0, { error: 'give at least one field to change' }));
export type PatchUserRequest = z.infer<typeof patchUserSchema>;

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

/** A user as the API shows it: never a credential, nor the bookkeeping of its changes. */
export type UserView = Omit<UserRecord, 'createdBy' | 'revision'>;

export const userView = ({ createdBy: _createdBy, revision: _revision, ...view }: UserRecord): UserView => view;

export type { Role };
