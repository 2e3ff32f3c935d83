import { ArnFormat, Duration, RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { TopicFunctionSpec } from '../../functions/manifest';
import { acknowledgeNagFinding } from '../nag';
import { alarmOnDeadLetters, createDeadLetterQueue } from './dead-letters';

/**
 * The SNS topic of a topic function, encrypted with a customer managed key (End User Messaging can
 * only publish to an encrypted topic whose key policy lets it, which the AWS managed key of SNS
 * cannot), TLS only, publishable by End User Messaging of this account and region (two-way SMS of
 * the origination number, event destinations of configuration sets). Invocations that still fail
 * after Lambda's retries land in a dead-letter queue rather than vanish (a lost reply may be an
 * opt-out).
 */
export function subscribeToTopic(stack: Stack, spec: TopicFunctionSpec, fn: IFunction): Topic {
  const smsVoice = new ServicePrincipal('sms-voice.amazonaws.com');
  const fromEndUserMessaging = {
    StringEquals: { 'aws:SourceAccount': stack.account },
    ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'sms-voice', resource: '*', arnFormat: ArnFormat.NO_RESOURCE_NAME }) },
  };
  const key = new Key(stack, `${spec.name}TopicKey`, {
    description: `manyi ${spec.name}: encrypts its SNS topic`,
    enableKeyRotation: true,
    // The key only protects messages in transit through SNS: nothing stays encrypted under it.
    removalPolicy: RemovalPolicy.DESTROY,
    pendingWindow: Duration.days(7),
  });
  key.addToResourcePolicy(
    new PolicyStatement({
      sid: 'EndUserMessagingPublishesToTheTopic',
      principals: [smsVoice],
      actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      resources: ['*'],
      conditions: fromEndUserMessaging,
    }),
  );
  const topic = new Topic(stack, `${spec.name}Topic`, {
    displayName: `manyi ${spec.name}`,
    masterKey: key,
    enforceSSL: true,
  });
  topic.addToResourcePolicy(
    new PolicyStatement({
      sid: 'EndUserMessagingPublishes',
      principals: [smsVoice],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: fromEndUserMessaging,
    }),
  );

  const deadLetterQueue = createDeadLetterQueue(stack, spec.name);
  fn.configureAsyncInvoke({ onFailure: new SqsDestination(deadLetterQueue), retryAttempts: 2 });
  acknowledgeNagFinding(
    deadLetterQueue,
    'SQS3',
    `This queue is itself a dead-letter queue: the on-failure destination of ${spec.name}'s asynchronous invocations, which cdk-nag only recognises by a redrive policy; a dead-letter queue of its own would only move the failures once more (its alarm reports them)`,
  );
  alarmOnDeadLetters(stack, spec.name, deadLetterQueue, `manyi ${spec.name}: SNS messages the function failed to process (see docs/deploy.md)`);

  topic.addSubscription(new LambdaSubscription(fn));
  return topic;
}
