/**
 * Lambda entry points: the dependencies are built once per container from the environment, on
 * the first invocation (so importing a handler module has no side effects, and the local runtime
 * can build the same handlers with its own dependencies).
 */
import type { Context } from 'aws-lambda';
import type { Deps } from '../app/deps';
import { systemClock } from '../shared/clock';
import { configFromEnv } from '../shared/config';
import { createLogger } from '../shared/logger';
import { connectStore } from '../store/dynamo-store';
import { EndUserMessagingSms } from '../channels/aws-sms';
import { SqsDispatchQueue } from '../channels/sqs-queue';

let shared: Deps | undefined;

export function lambdaDeps(): Deps {
  if (!shared) {
    const config = configFromEnv();
    shared = {
      config,
      store: connectStore(config.tableName),
      clock: systemClock,
      logger: createLogger(),
      sms: new EndUserMessagingSms({ originationIdentity: config.sms.originationIdentity, configurationSet: config.sms.configurationSet }),
      queue: new SqsDispatchQueue(config.queueUrl),
    };
  }
  return shared;
}

export function lambdaEntry<E, R>(factory: (deps: Deps) => (event: E, context: Context) => Promise<R>) {
  let handler: ((event: E, context: Context) => Promise<R>) | undefined;
  return (event: E, context: Context): Promise<R> => {
    handler ??= factory(lambdaDeps());
    return handler(event, context);
  };
}
