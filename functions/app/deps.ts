import type { WorkingDayCalendar } from '../domain/commitments/calendar';
import type { Store } from './ports';
import type { Clock } from '../shared/clock';
import type { Config } from '../shared/config';
import type { FieldKeySource } from '../shared/field-protection';
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
  /**
   * The published working-day calendars (default: CALENDARS, the data files in the bundle); a
   * test gives a calendar with one more year to see provisional figures recomputed.
   */
  calendars?: Readonly<Record<string, WorkingDayCalendar>>;
  /**
   * Where sent messages are kept, if anywhere we can reach: the local outbox. A person's erasure
   * forgets theirs. On AWS there is none (the providers keep no bodies we could delete).
   */
  outbox?: Required<Pick<SmsProvider, 'forget'>>;
  /**
   * Lambda: where the store's field-encryption data key comes from (KMS), in the functions whose
   * entry names the kms client; the others hold no key (functions/runtime/dynamodb.ts).
   */
  fieldKeys?: FieldKeySource;
}
