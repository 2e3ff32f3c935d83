import { Duration, type Stack } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { QueueFunctionSpec } from '../../functions/manifest';
import { alarmOnDeadLetters, createDeadLetterQueue } from './dead-letters';

/** AWS guidance for SQS event sources: the visibility timeout is at least 6 times the function timeout. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

/**
 * The queue of a queue function: SSE (SQS-managed keys), TLS only, a visibility timeout of 6 times
 * the function timeout, and after `maxReceiveCount` receives a dead-letter queue that keeps
 * messages 14 days and raises an alarm as soon as it holds one. The function reads it in batches
 * and reports the failed items only, so a batch's successes are not sent again.
 */
export function feedFromQueue(stack: Stack, spec: QueueFunctionSpec, fn: IFunction): { queue: Queue; deadLetterQueue: Queue } {
  const deadLetterQueue = createDeadLetterQueue(stack, spec.name);
  const queue = new Queue(stack, `${spec.name}Queue`, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    visibilityTimeout: Duration.seconds(VISIBILITY_TIMEOUT_FACTOR * spec.timeoutSeconds),
    deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: spec.maxReceiveCount },
  });
  fn.addEventSource(new SqsEventSource(queue, { batchSize: spec.batchSize, reportBatchItemFailures: true }));
  alarmOnDeadLetters(stack, spec.name, deadLetterQueue, `manyi ${spec.name}: messages failed ${spec.maxReceiveCount} times (see docs/deploy.md)`);
  return { queue, deadLetterQueue };
}
