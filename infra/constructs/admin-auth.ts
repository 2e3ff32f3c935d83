import { Duration, RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { AccountRecovery, CfnUserPoolGroup, Mfa, UserPool, UserPoolOperation, type UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { ROLES } from '../../functions/domain/access/roles';
import type { UserPoolTriggerFunctionSpec } from '../../functions/manifest';
import { acknowledgeNagFinding } from '../nag';

/**
 * The user-pool calls of functions/channels/cognito-directory.ts, granted on the admin pool only to
 * the functions whose manifest entry says `managesSignIns`.
 */
export const SIGN_IN_MANAGEMENT_ACTIONS = [
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminGetUser',
  'cognito-idp:AdminAddUserToGroup',
  'cognito-idp:AdminRemoveUserFromGroup',
  'cognito-idp:AdminDisableUser',
  'cognito-idp:AdminEnableUser',
  'cognito-idp:AdminUserGlobalSignOut',
] as const;

export interface AdminAuth {
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;
  /** The JWT authorizer of the admin routes (audience: the app client). */
  readonly authorizer: HttpUserPoolAuthorizer;
}

/**
 * The staff's Cognito user pool, its app client, a group per role and the API's JWT authorizer.
 * No self sign-up: an admin creates each account through POST /admin/users (docs/deploy.md). The
 * username is the manyi user id and the e-mail an alias to sign in with, so `cognito:username`
 * names the user record and an e-mail can change without touching it.
 */
export function createAdminAuth(stack: Stack): AdminAuth {
  const userPool = new UserPool(stack, 'AdminUserPool', {
    selfSignUpEnabled: false,
    signInAliases: { username: true, email: true },
    signInCaseSensitive: false,
    autoVerify: { email: true },
    passwordPolicy: {
      minLength: 12,
      requireLowercase: true,
      requireUppercase: true,
      requireDigits: true,
      requireSymbols: true,
      tempPasswordValidity: Duration.days(3),
    },
    mfa: Mfa.OPTIONAL,
    mfaSecondFactor: { otp: true, sms: false },
    accountRecovery: AccountRecovery.EMAIL_ONLY,
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  acknowledgeNagFinding(
    userPool,
    'COG2',
    'MFA is optional by decision (issue #12): TOTP is offered to every staff member, SMS as a second factor is off; accounts are created by admins only (no self sign-up) with passwords of at least 12 characters of every class',
  );
  acknowledgeNagFinding(
    userPool,
    'COG8',
    'The Plus feature plan (threat protection: adaptive authentication, compromised-credential checks) is billed per monthly active user; for a pool of a few admin-created staff accounts the operator decides, see docs/deploy.md',
  );
  const userPoolClient = userPool.addClient('AdminClient', {
    generateSecret: false,
    // No hosted UI and no OAuth redirects (CDK would otherwise enable the implicit grant).
    disableOAuth: true,
    // SRP for interactive clients; ADMIN_USER_PASSWORD_AUTH for operators holding IAM credentials.
    authFlows: { userSrp: true, adminUserPassword: true },
    preventUserExistenceErrors: true,
    accessTokenValidity: Duration.hours(1),
    idTokenValidity: Duration.hours(1),
    refreshTokenValidity: Duration.days(30),
  });
  // The role groups the directory keeps each user in (the record stays the truth for the routes).
  for (const role of ROLES) {
    new CfnUserPoolGroup(stack, `AdminGroup${role[0]!.toUpperCase()}${role.slice(1)}`, {
      userPoolId: userPool.userPoolId,
      groupName: role,
      description: `manyi role ${role} (docs/access.md)`,
    });
  }
  const authorizer = new HttpUserPoolAuthorizer('AdminAuthorizer', userPool, { userPoolClients: [userPoolClient] });
  return { userPool, userPoolClient, authorizer };
}

/** Wires a user-pool trigger function of functions/manifest.ts to its operation of the pool. */
export function addUserPoolTrigger(userPool: UserPool, spec: UserPoolTriggerFunctionSpec, fn: LambdaFunction): void {
  const operations = { preTokenGeneration: UserPoolOperation.PRE_TOKEN_GENERATION } as const;
  userPool.addTrigger(operations[spec.trigger], fn);
}

/** USER_POOL_ID and the directory's actions on this pool, for a function that manages sign-ins. */
export function grantManageSignIns(userPool: UserPool, fn: LambdaFunction): void {
  fn.addEnvironment('USER_POOL_ID', userPool.userPoolId);
  fn.addToRolePolicy(new PolicyStatement({ actions: [...SIGN_IN_MANAGEMENT_ACTIONS], resources: [userPool.userPoolArn] }));
}
