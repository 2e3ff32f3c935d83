/** Users (one item each, listed through GSI1), the e-mail claims that keep e-mails unique, local credentials. */
import type { UserStore } from '../app/ports';
import type { CredentialRecord, UserRecord } from '../domain/access/users';
import { keys } from './keys';
import { recordOf, type Table } from './table';

const userItem = (user: UserRecord) => ({ ...keys.user(user.userId), ...keys.userInList(user.userId), entity: 'User', ...user });

export function userItems(table: Table): UserStore {
  const getUser = async (userId: string) => recordOf<UserRecord>(await table.get(keys.user(userId), { consistent: true }));
  return {
    getUser,

    async getUserByEmail(email) {
      const claim = await table.get(keys.userEmail(email), { consistent: true });
      return claim ? getUser(String(claim.userId)) : undefined;
    },

    async createUser(user) {
      // The claim first: a crash before the user item leaves a claim naming a missing user, which
      // a retry of the same request (same e-mail) finds and takes over instead of refusing.
      const claimItem = { ...keys.userEmail(user.email), entity: 'UserEmail', userId: user.userId };
      const claimed = await table.putIfAbsent(claimItem);
      if (claimed === 'exists') {
        const claim = await table.get(keys.userEmail(user.email), { consistent: true });
        if (claim && (await getUser(String(claim.userId)))) return 'exists';
        // A creation still running looks the same as a crashed one, so a claim is taken over only
        // while unconfirmed: the holder confirms it once its user item is written (below).
        const takenOver = await table.writeIf({
          put: { Item: claimItem, ConditionExpression: 'userId = :old AND attribute_not_exists(confirmed)', ExpressionAttributeValues: { ':old': claim?.userId ?? '' } },
        });
        if (!takenOver) return 'exists';
      }
      if ((await table.putIfAbsent(userItem(user))) === 'exists') return 'exists';
      // The confirmation decides: it succeeds only if the claim still names this user, and once it
      // has, nobody can take the claim over. A creation whose claim was taken withdraws its user item.
      const confirmed = await table.writeIf({ put: { Item: { ...claimItem, confirmed: true }, ConditionExpression: 'userId = :me', ExpressionAttributeValues: { ':me': user.userId } } });
      if (confirmed) return 'created';
      await table.delete(keys.user(user.userId));
      return 'exists';
    },

    async updateUser(user, expectedRevision) {
      return table.writeIf({
        put: { Item: userItem(user), ConditionExpression: 'revision = :expected', ExpressionAttributeValues: { ':expected': expectedRevision } },
      });
    },

    async listUsers() {
      const items = await table.queryAll({ IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': keys.usersList } });
      return items.map((item) => recordOf<UserRecord>(item) as UserRecord);
    },

    async getCredential(userId) {
      return recordOf<CredentialRecord>(await table.get(keys.credential(userId), { consistent: true }));
    },

    async putCredential(credential) {
      await table.put({ ...keys.credential(credential.userId), entity: 'Credential', ...credential });
    },
  };
}
