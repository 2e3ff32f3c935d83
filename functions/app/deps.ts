import type { Store } from './ports';
import type { Clock } from '../shared/clock';
import type { Config } from '../shared/config';
import type { AppLogger } from '../shared/logger';
import type { DispatchQueue, SmsProvider, UserDirectory } from './ports';

/** What every use case needs; built once per Lambda container or once by the local runtime. */
export interface Deps {
  store: Store;
  clock: Clock;
  config: Config;
  logger: AppLogger;
  sms: SmsProvider;
  queue: DispatchQueue;
  /** Where users sign in (Cognito on AWS, local password credentials locally). */
  directory: UserDirectory;
}
