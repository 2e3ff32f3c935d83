/**
 * The local user directory: each user's password credential (scrypt) beside its record. It plays
 * Cognito's part on one machine: without a chosen password it makes a temporary one, returned once,
 * that signs in only to be replaced (Cognito's NEW_PASSWORD_REQUIRED).
 */
import type { Store, UserDirectory } from '../app/ports';
import type { Clock } from '../shared/clock';
import { hashPassword, newTemporaryPassword } from './passwords';

export function localDirectory(deps: { store: Pick<Store, 'getCredential' | 'putCredential'>; clock: Clock }): UserDirectory {
  return {
    acceptsChosenPasswords: true,
    async createSignIn(user, password) {
      const temporaryPassword = password ? undefined : newTemporaryPassword();
      await deps.store.putCredential({
        userId: user.userId,
        hash: await hashPassword(password ?? (temporaryPassword as string)),
        mustChange: temporaryPassword !== undefined,
        updatedAt: deps.clock.now().toISOString(),
      });
      return temporaryPassword ? { temporaryPassword } : {};
    },
    hasSignIn: async (userId) => (await deps.store.getCredential(userId)) !== undefined,
    // Role and disabling live in the user record, read at every request and at sign-in.
    async updateSignIn() {},
  };
}
