import type { Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { CfnConfigurationSet } from 'aws-cdk-lib/aws-smsvoice';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import { configurationSetArn, originationIdentityArn, SMS_DELIVERY_EVENT_TYPES } from '../distribution';

/**
 * A configuration set whose event destination is every inbound topic, so delivery receipts of
 * the messages sent with it reach the topic functions. Only created when no existing one is given.
 */
export function createSmsConfigurationSet(stack: Stack, topics: ReadonlyMap<string, Topic>): CfnConfigurationSet | undefined {
  if (topics.size === 0) return undefined;
  const configurationSet = new CfnConfigurationSet(stack, 'SmsConfigurationSet', {
    eventDestinations: [...topics].map(([name, topic]) => ({
      eventDestinationName: `manyi-${name}`,
      enabled: true,
      matchingEventTypes: [...SMS_DELIVERY_EVENT_TYPES],
      snsDestination: { topicArn: topic.topicArn },
    })),
  });
  // End User Messaging checks that it may publish when the destination is created.
  for (const topic of topics.values()) configurationSet.node.addDependency(topic);
  return configurationSet;
}

export interface SmsSettings {
  /** The origination identity given to the stack (smsOriginationIdentity), if any. */
  readonly originationIdentity?: string | undefined;
  /** The existing configuration set given to the stack (name or ARN), if any. */
  readonly existingConfigurationSet?: string | undefined;
  /** The configuration set the stack created when none was given. */
  readonly createdConfigurationSet?: CfnConfigurationSet | undefined;
}

/**
 * sms-voice:SendTextMessage, for the given functions and no other, with SMS_ORIGINATION_IDENTITY
 * and SMS_CONFIGURATION_SET. SendTextMessage authorises the resources the request names: the
 * origination identity (phone number, pool or sender ID) and the configuration set. With an
 * origination identity, the policy names exactly those two; without one, End User Messaging picks
 * any identity of the account, and only "*" lets the call through.
 */
export function grantSendSms(stack: Stack, senders: readonly LambdaFunction[], settings: SmsSettings): void {
  if (senders.length === 0) return;
  const { originationIdentity, existingConfigurationSet, createdConfigurationSet } = settings;
  const configurationSetName = existingConfigurationSet ?? createdConfigurationSet?.ref;
  const resources = originationIdentity
    ? [
        originationIdentityArn(stack, originationIdentity),
        ...(existingConfigurationSet
          ? [configurationSetArn(stack, existingConfigurationSet)]
          : createdConfigurationSet
            ? [createdConfigurationSet.attrArn]
            : []),
      ]
    : ['*'];
  for (const fn of senders) {
    if (originationIdentity) fn.addEnvironment('SMS_ORIGINATION_IDENTITY', originationIdentity);
    if (configurationSetName) fn.addEnvironment('SMS_CONFIGURATION_SET', configurationSetName);
    fn.addToRolePolicy(new PolicyStatement({ sid: 'SendSms', actions: ['sms-voice:SendTextMessage'], resources }));
  }
}
