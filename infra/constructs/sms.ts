import type { Stack } from 'aws-cdk-lib';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { CfnConfigurationSet } from 'aws-cdk-lib/aws-smsvoice';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import { configurationSetArn, originationIdentityArn, SMS_DELIVERY_EVENT_TYPES } from '../distribution';
import { acknowledgeNagFinding, wildcardResourceFinding } from '../nag';

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
 * any identity of the account, and only "*" lets the call through. The statement is a policy of its
 * own (`<function>SendSmsPolicy`), so that the acknowledgment of its wildcard covers it and nothing else.
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
    const policy = new Policy(stack, `${fn.node.id}SendSmsPolicy`, {
      statements: [new PolicyStatement({ sid: 'SendSms', actions: ['sms-voice:SendTextMessage'], resources })],
      roles: [fn.role!],
    });
    // Not a child of the role, so the function would not wait for it otherwise.
    fn.node.addDependency(policy);
    for (const resource of resources) {
      const reason = smsWildcardReason(resource);
      if (reason) acknowledgeNagFinding(policy, wildcardResourceFinding(policy, resource), reason);
    }
  }
}

/**
 * Why an SMS resource is a wildcard, for the two the stack makes itself; any other wildcard (an ARN
 * given with one) is left to cdk-nag to report.
 */
function smsWildcardReason(resource: string): string | undefined {
  if (resource === '*') {
    return 'No smsOriginationIdentity was given: End User Messaging picks an identity of the account, so SendTextMessage can only be allowed on "*" (the only action of this policy); deploy with -c smsOriginationIdentity to name the identity (docs/deploy.md, SMS permissions)';
  }
  if (/:sender-id\/[^/*]+\/\*$/.test(resource)) {
    return 'A sender ID\'s ARN ends with the country it is registered in (sender-id/MANYI/CN); the one sender ID given (smsOriginationIdentity) may be registered in several, and the wildcard covers its countries only';
  }
  return undefined;
}
