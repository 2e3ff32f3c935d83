import { Aws, Duration, Fn, RemovalPolicy, Token, type Stack } from 'aws-cdk-lib';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  UserPool,
  UserPoolClientIdentityProvider,
  UserPoolOperation,
  type UserPoolClient,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
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
  /** The Cognito prefix domain of the hosted sign-in page and the OAuth endpoints. */
  readonly domain: UserPoolDomain;
  /** Its origin, https://<prefix>.auth.<region>.amazoncognito.com. */
  readonly domainUrl: string;
}

export interface AdminAuthOptions {
  /** The console's URL: the one callback (and sign-out) URL of the app client. */
  readonly consoleUrl: string;
  /**
   * The prefix of the Cognito domain (lower-case letters, digits, hyphens; unique in the region;
   * without "aws", "amazon" or "cognito"). By default the stack's name and the first 8 hex digits
   * of its stack id (a UUID, fixed for the life of the stack), e.g. manyi-1a2b3c4d.
   */
  readonly domainPrefix?: string;
}

/** Cognito refuses these words in a prefix domain. */
const RESERVED_WORD = /aws|amazon|cognito/;

/** The stack's name as a prefix domain may spell it (the stack id's digits make it unique). */
export function domainPrefixOf(stackName: string): string {
  const name = stackName.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(new RegExp(RESERVED_WORD.source, 'g'), '').replace(/-+/g, '-').slice(0, 40).replace(/^-+|-+$/g, '');
  return name || 'manyi';
}

/**
 * The staff's Cognito user pool, its app client, a group per role and the API's JWT authorizer.
 * No self sign-up: an admin creates each account through POST /admin/users (docs/deploy.md). The
 * username is the manyi user id and the e-mail an alias to sign in with, so `cognito:username`
 * names the user record and an e-mail can change without touching it.
 */
export function createAdminAuth(stack: Stack, options: AdminAuthOptions): AdminAuth {
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
    // A public client: the console is a browser page and can keep no secret. It proves it is the
    // client that asked for a code by PKCE instead (console/pkce.ts).
    generateSecret: false,
    // The console signs in on the hosted page with the authorization code grant only (CDK would
    // otherwise enable the implicit grant too); its one callback is the console itself.
    oAuth: {
      flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
      scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
      callbackUrls: [options.consoleUrl],
      logoutUrls: [options.consoleUrl],
    },
    supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
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
  if (options.domainPrefix !== undefined && !Token.isUnresolved(options.domainPrefix)) {
    const prefix = options.domainPrefix;
    if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(prefix) || RESERVED_WORD.test(prefix)) {
      throw new Error(`domainPrefix "${prefix}": lower-case letters, digits and inner hyphens only, at most 63, without "aws", "amazon" or "cognito"`);
    }
  }
  // The stack id ends in a UUID that no other stack has: its first group makes the prefix unique.
  const stackUuidHead = Fn.select(0, Fn.split('-', Fn.select(2, Fn.split('/', Aws.STACK_ID))));
  const domain = userPool.addDomain('AdminDomain', {
    cognitoDomain: { domainPrefix: options.domainPrefix ?? Fn.join('-', [domainPrefixOf(stack.stackName), stackUuidHead]) },
    // The classic hosted UI works without a branding style (managed login needs one to show anything).
    managedLoginVersion: ManagedLoginVersion.CLASSIC_HOSTED_UI,
  });
  const authorizer = new HttpUserPoolAuthorizer('AdminAuthorizer', userPool, { userPoolClients: [userPoolClient] });
  return { userPool, userPoolClient, authorizer, domain, domainUrl: domain.baseUrl() };
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
