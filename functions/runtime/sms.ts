/** The End User Messaging SMS client, with the origination identity and configuration set of the environment (see ./lambda-entry). */
import { EndUserMessagingSms } from '../channels/aws-sms';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { configFromEnv } from '../shared/config';
import { traced } from '../shared/tracing';
import type { ClientProviders } from './lambda-entry';

export const sms: ClientProviders = {
  client: 'sms',
  providers: {
    config: () => configFromEnv(),
    sms: (deps) =>
      new EndUserMessagingSms(
        { originationIdentity: deps.config.sms.originationIdentity, configurationSet: deps.config.sms.configurationSet },
        // One attempt: SendTextMessage has no idempotency token (functions/channels/aws-sms.ts).
        traced(new PinpointSMSVoiceV2Client({ maxAttempts: 1 })),
      ),
  },
};
