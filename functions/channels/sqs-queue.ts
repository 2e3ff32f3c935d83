/** The dispatch queue on AWS: SQS, consumed by the sender function with batch item failures. */
import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { DispatchMessage, DispatchQueue } from '../app/ports';

const SQS_BATCH_LIMIT = 10;

export class SqsDispatchQueue implements DispatchQueue {
  constructor(
    private readonly queueUrl: string | undefined,
    private readonly client: SQSClient = new SQSClient({}),
  ) {}

  async enqueue(messages: readonly DispatchMessage[]): Promise<void> {
    if (!this.queueUrl) throw new Error('QUEUE_URL is not set');
    for (let start = 0; start < messages.length; start += SQS_BATCH_LIMIT) {
      const batch = messages.slice(start, start + SQS_BATCH_LIMIT);
      const result = await this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((message, i) => ({ Id: String(i), MessageBody: JSON.stringify(message) })),
        }),
      );
      // An invitation that was not queued stays due: its lease runs out and the next run picks it up.
      if (result.Failed?.length) throw new Error(`${result.Failed.length} dispatch messages were not queued: ${result.Failed[0]?.Message ?? ''}`);
    }
  }
}
