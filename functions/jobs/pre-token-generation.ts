/**
 * Cognito's pre-token-generation trigger (V1: the ID token, which is what the admin routes accept;
 * customising the access token needs the pool's Essentials tier). It adds manyi's claims for the
 * stored user (functions/http/claims.ts) and makes the user's role its only group, so the console
 * reads role and scope from the token. A user without a record, or disabled, gets no token at all:
 * throwing here fails the sign-in or refresh. The routes still read the record at every request
 * (functions/http/caller.ts), so a change applies at once, whatever a token says.
 */
import type { PreTokenGenerationTriggerEvent } from 'aws-lambda';
import type { Deps } from '../app/deps';
import { userClaims } from '../http/claims';
import { lambdaEntry } from '../runtime/lambda-entry';
import { dynamodb } from '../runtime/dynamodb';
import { userItems } from '../runtime/store-modules';

export const createPreTokenGenerationHandler =
  (deps: Pick<Deps, 'store' | 'logger'>) =>
  async (event: PreTokenGenerationTriggerEvent): Promise<PreTokenGenerationTriggerEvent> => {
    const user = await deps.store.getUser(event.userName);
    if (!user || user.disabled) {
      // The user id only: no e-mail or name in logs.
      deps.logger.warn('token refused: the user has no record or is disabled', { userId: event.userName, known: user !== undefined });
      throw new Error('this user may not sign in to manyi');
    }
    event.response.claimsOverrideDetails = {
      claimsToAddOrOverride: userClaims(user),
      groupOverrideDetails: { groupsToOverride: [user.role] },
    };
    return event;
  };

export const handler = lambdaEntry(createPreTokenGenerationHandler, dynamodb(userItems));
