import { Duration, RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { AccountRecovery, Mfa, UserPool, type UserPoolClient } from 'aws-cdk-lib/aws-cognito';

export interface AdminAuth {
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;
  /** The JWT authorizer of the admin routes (audience: the app client). */
  readonly authorizer: HttpUserPoolAuthorizer;
}

/**
 * The administrators' Cognito user pool, its app client and the API's JWT authorizer.
 * Administrators only: no self sign-up; an operator creates each account (docs/deploy.md).
 */
export function createAdminAuth(stack: Stack): AdminAuth {
  const userPool = new UserPool(stack, 'AdminUserPool', {
    selfSignUpEnabled: false,
    signInAliases: { email: true },
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
  const authorizer = new HttpUserPoolAuthorizer('AdminAuthorizer', userPool, { userPoolClients: [userPoolClient] });
  return { userPool, userPoolClient, authorizer };
}
