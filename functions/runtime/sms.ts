/** The End User Messaging SMS client, with the origination identity and configuration set of the environment (see ./lambda-entry). */
import { EndUserMessagingSms } from '../channels/aws-sms';
import { configFromEnv } from '../shared/config';
import type { ClientProviders } from './lambda-entry';

export const sms: ClientProviders = {
  client: 'sms',
  providers: {
    config: () => configFromEnv(),
    sms: (deps) => new EndUserMessagingSms({ originationIdentity: deps.config.sms.originationIdentity, configurationSet: deps.config.sms.configurationSet }),
  },
};
