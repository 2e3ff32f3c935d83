/** The SQS client, as the dispatch queue QUEUE_URL names (see ./lambda-entry). */
import { SqsDispatchQueue } from '../channels/sqs-queue';
import { SQSClient } from '@aws-sdk/client-sqs';
import { configFromEnv } from '../shared/config';
import { traced } from '../shared/tracing';
import type { ClientProviders } from './lambda-entry';

export const sqs: ClientProviders = {
  client: 'sqs',
  providers: { config: () => configFromEnv(), queue: (deps) => new SqsDispatchQueue(deps.config.queueUrl, traced(new SQSClient({}))) },
};
