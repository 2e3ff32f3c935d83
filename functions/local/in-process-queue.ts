/**
 * The local dispatch queue with SQS semantics that matter here: batches of up to 10 handed to the
 * same consumer the SQS event source mapping calls, partial batch failures redelivered, and after
 * `maxReceiveCount` receives a message goes to the dead-letter list. Delivery happens inside
 * `enqueue`, so a dispatch run has sent its messages when it returns (deterministic for tests).
 */
import { randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { DispatchMessage, DispatchQueue } from '../app/ports';

export type QueueConsumer = (event: SQSEvent) => Promise<SQSBatchResponse>;

interface Envelope {
  messageId: string;
  body: string;
  receiveCount: number;
}

const BATCH_SIZE = 10;

export class InProcessQueue implements DispatchQueue {
  readonly deadLetters: { body: DispatchMessage; receiveCount: number }[] = [];
  private consumer: QueueConsumer | undefined;

  /** This process: its messages die with it, so the next start releases the leases it held. */
  readonly leaseOwner = `local:${randomUUID()}`;

  constructor(private readonly maxReceiveCount = 5) {}

  attach(consumer: QueueConsumer): void {
    this.consumer = consumer;
  }

  async enqueue(messages: readonly DispatchMessage[]): Promise<void> {
    let pending: Envelope[] = messages.map((message) => ({ messageId: randomUUID(), body: JSON.stringify(message), receiveCount: 0 }));
    while (pending.length > 0) {
      const retry: Envelope[] = [];
      for (let start = 0; start < pending.length; start += BATCH_SIZE) {
        const batch = pending.slice(start, start + BATCH_SIZE).map((m) => ({ ...m, receiveCount: m.receiveCount + 1 }));
        const failed = await this.deliver(batch);
        for (const envelope of batch.filter((m) => failed.has(m.messageId))) {
          if (envelope.receiveCount >= this.maxReceiveCount) this.deadLetters.push({ body: JSON.parse(envelope.body) as DispatchMessage, receiveCount: envelope.receiveCount });
          else retry.push(envelope);
        }
      }
      pending = retry;
    }
  }

  /** Returns the ids of the messages to redeliver: the reported failures, or the whole batch if the consumer threw. */
  private async deliver(batch: Envelope[]): Promise<Set<string>> {
    if (!this.consumer) throw new Error('the dispatch queue has no consumer');
    const event: SQSEvent = {
      Records: batch.map(
        (envelope): SQSRecord => ({
          messageId: envelope.messageId,
          receiptHandle: envelope.messageId,
          body: envelope.body,
          attributes: {
            ApproximateReceiveCount: String(envelope.receiveCount),
            SentTimestamp: String(Date.now()),
            SenderId: 'local',
            ApproximateFirstReceiveTimestamp: String(Date.now()),
          },
          messageAttributes: {},
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:local:000000000000:manyi-dispatch',
          awsRegion: 'local',
        }),
      ),
    };
    try {
      const response = await this.consumer(event);
      return new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
    } catch {
      return new Set(batch.map((m) => m.messageId));
    }
  }
}
