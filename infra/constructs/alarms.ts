import { ArnFormat, Aspects, Duration, RemovalPolicy, type IAspect, type Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IConstruct } from 'constructs';

/**
 * The topic every alarm of the stack notifies, in alarm and back to OK (see `notifyAlarmTopic`).
 *
 * Encrypted with a customer managed key: CloudWatch cannot publish to a topic under the AWS managed
 * key of SNS, whose policy does not let it use the key (and cannot be edited). The key policy lets
 * CloudWatch use the key; the topic policy lets only the alarms of this account and region publish
 * and refuses requests without TLS.
 * With `alarmEmail`, that address is subscribed (SNS mails a confirmation link first).
 */
export function createAlarmTopic(stack: Stack, alarmEmail: string | undefined): Topic {
  const cloudWatch = new ServicePrincipal('cloudwatch.amazonaws.com');
  const key = new Key(stack, 'AlarmTopicKey', {
    description: 'manyi: encrypts the alarm topic',
    enableKeyRotation: true,
    // The key only protects notifications in transit through SNS: nothing stays encrypted under it.
    removalPolicy: RemovalPolicy.DESTROY,
    pendingWindow: Duration.days(7),
  });
  key.addToResourcePolicy(
    new PolicyStatement({
      sid: 'CloudWatchAlarmsPublishToTheTopic',
      principals: [cloudWatch],
      actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      resources: ['*'],
    }),
  );
  const topic = new Topic(stack, 'AlarmTopic', {
    displayName: 'manyi alarms',
    masterKey: key,
    enforceSSL: true,
  });
  topic.addToResourcePolicy(
    new PolicyStatement({
      sid: 'CloudWatchAlarmsPublish',
      principals: [cloudWatch],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: {
        ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
      },
    }),
  );
  if (alarmEmail !== undefined) {
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(alarmEmail)) throw new Error(`alarmEmail "${alarmEmail}" is not an e-mail address`);
    topic.addSubscription(new EmailSubscription(alarmEmail));
  }
  return topic;
}

/**
 * Makes every CloudWatch alarm of the scope (those made so far and any added later, by whichever
 * construct) notify the topic when it goes into alarm and when it is back to OK, so no alarm of the
 * stack can be one that tells nobody.
 */
export function notifyAlarmTopic(scope: IConstruct, topic: Topic): void {
  const action = new SnsAction(topic);
  const notified = new WeakSet<Alarm>();
  const aspect: IAspect = {
    visit(node) {
      if (!(node instanceof Alarm) || notified.has(node)) return;
      notified.add(node);
      node.addAlarmAction(action);
      node.addOkAction(action);
    },
  };
  Aspects.of(scope).add(aspect);
}

/**
 * An alarm when a scheduled job fails: any error of its function within a 15-minute period. Lambda
 * publishes Errors (0 included) for every period with an invocation, and periods without one leave
 * the state as it is, so the alarm stays in alarm from a failed run until a run succeeds, however
 * far apart the runs are (every minute for Dispatch, daily for a nightly job).
 */
export function alarmOnJobErrors(stack: Stack, name: string, fn: IFunction): Alarm {
  return new Alarm(stack, `${name}ErrorAlarm`, {
    alarmDescription: `manyi ${name}: a scheduled run failed (see the function's log group, docs/deploy.md)`,
    metric: fn.metricErrors({ period: Duration.minutes(15), statistic: 'Sum' }),
    threshold: 0,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.IGNORE,
  });
}
