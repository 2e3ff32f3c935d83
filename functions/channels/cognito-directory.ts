/**
 * The user directory on AWS: the administrators' Cognito user pool holds each user's sign-in. The
 * Cognito username is the manyi user id (the pool signs in by the e-mail alias), so the ID token's
 * `cognito:username` names the user record that functions/http/caller.ts reads at every request.
 * Each role is a group of the pool (infra/constructs/admin-auth.ts), kept in line with the record;
 * a disabled user is disabled in the pool and signed out everywhere, so no refresh token outlives it.
 *
 * Every call is safe to repeat: creating a sign-in that exists, adding a user to the group it is in,
 * removing it from one it is not in, disabling a disabled user all leave the pool as asked.
 */
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import type { UserDirectory } from '../app/ports';
import type { UserRecord } from '../domain/access/users';

export class CognitoUserDirectory implements UserDirectory {
  readonly acceptsChosenPasswords = false;

  constructor(
    private readonly userPoolId: string,
    private readonly client: CognitoIdentityProviderClient = new CognitoIdentityProviderClient({}),
  ) {}

  /**
   * Cognito makes the temporary password and e-mails it in the invitation: nothing is returned, and
   * a chosen password is not accepted here (POST /admin/users "password" is the local runtime's).
   */
  async createSignIn(user: UserRecord): Promise<{ temporaryPassword?: string }> {
    try {
      await this.client.send(
        new AdminCreateUserCommand({
          UserPoolId: this.userPoolId,
          Username: user.userId,
          UserAttributes: [
            { Name: 'email', Value: user.email },
            // The administrator vouches for the address: the invitation goes to it.
            { Name: 'email_verified', Value: 'true' },
            { Name: 'name', Value: user.name },
            { Name: 'locale', Value: user.language },
          ],
          DesiredDeliveryMediums: ['EMAIL'],
        }),
      );
    } catch (error) {
      // A retry after the pool accepted the first attempt: the sign-in is there, as asked.
      if (!(error instanceof UsernameExistsException)) throw error;
    }
    await this.joinGroup(user.userId, user.role);
    return {};
  }

  async hasSignIn(userId: string): Promise<boolean> {
    try {
      await this.client.send(new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: userId }));
      return true;
    } catch (error) {
      if (error instanceof UserNotFoundException) return false;
      throw error;
    }
  }

  async updateSignIn(user: UserRecord, previous: UserRecord): Promise<void> {
    if (user.role !== previous.role) {
      // Joined first: a failure between the two calls leaves the user in both groups, never in none.
      await this.joinGroup(user.userId, user.role);
      await this.client.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: this.userPoolId, Username: user.userId, GroupName: previous.role }));
    }
    if (user.disabled && !previous.disabled) {
      await this.client.send(new AdminDisableUserCommand({ UserPoolId: this.userPoolId, Username: user.userId }));
      // Revokes the refresh tokens; ID tokens already issued are refused by the record check.
      await this.client.send(new AdminUserGlobalSignOutCommand({ UserPoolId: this.userPoolId, Username: user.userId }));
    } else if (!user.disabled && previous.disabled) {
      await this.client.send(new AdminEnableUserCommand({ UserPoolId: this.userPoolId, Username: user.userId }));
    }
  }

  private async joinGroup(userId: string, role: string): Promise<void> {
    await this.client.send(new AdminAddUserToGroupCommand({ UserPoolId: this.userPoolId, Username: userId, GroupName: role }));
  }
}
