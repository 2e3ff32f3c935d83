/** The Cognito user directory of the admin user pool the environment names (USER_POOL_ID; see ./lambda-entry). */
import { CognitoUserDirectory } from '../channels/cognito-directory';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { configFromEnv } from '../shared/config';
import { traced } from '../shared/tracing';
import type { ClientProviders } from './lambda-entry';

export const cognito: ClientProviders = {
  client: 'cognito',
  providers: {
    config: () => configFromEnv(),
    directory: (deps) => {
      const userPoolId = deps.config.userPoolId;
      if (!userPoolId) throw new Error('USER_POOL_ID is not set: the stack gives it to the functions whose manifest entry says managesSignIns');
      return new CognitoUserDirectory(userPoolId, traced(new CognitoIdentityProviderClient({})));
    },
  },
};
