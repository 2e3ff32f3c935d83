import type { DynamoStore } from '../store/dynamo-store';
import type { Clock } from '../shared/clock';
import type { Config } from '../shared/config';
import type { AppLogger } from '../shared/logger';

/** What every use case needs; built once per Lambda container or once by the local runtime. */
export interface Deps {
  store: DynamoStore;
  clock: Clock;
  config: Config;
  logger: AppLogger;
}
