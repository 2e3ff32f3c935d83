import { Duration, type Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';

/** How long dead-letter queues keep messages (the SQS maximum), time to look at them and redrive. */
export const DEAD_LETTER_RETENTION = Duration.days(14);

/** The dead-letter queue of a function (SSE with SQS-managed keys, TLS only); see `alarmOnDeadLetters`. */
export function createDeadLetterQueue(stack: Stack, functionName: string): Queue {
  return new Queue(stack, `${functionName}DeadLetterQueue`, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: DEAD_LETTER_RETENTION,
  });
}

/** An alarm as soon as a function's dead-letter queue holds a message. */
export function alarmOnDeadLetters(stack: Stack, functionName: string, deadLetterQueue: Queue, alarmDescription: string): Alarm {
  return new Alarm(stack, `${functionName}DeadLetterAlarm`, {
    alarmDescription,
    metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
    threshold: 0,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}
