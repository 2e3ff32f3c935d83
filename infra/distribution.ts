import { ArnFormat, type Stack } from 'aws-cdk-lib';

/**
 * Distribution on AWS, the parts that are plain decisions rather than resources: which functions
 * may enqueue to the dispatch queue, and which End User Messaging ARNs an SMS-sending function may
 * name. The stack (infra/stack.ts) turns them into resources and policies.
 */

/**
 * The functions that call the dispatcher (functions/app/dispatch.ts `runDispatch`), which enqueues
 * through functions/channels/sqs-queue.ts and so needs QUEUE_URL and sqs:SendMessage: their specs
 * in functions/manifest.ts say `enqueues: true`.
 */
export function enqueuingFunctionNames(specs: readonly { readonly name: string; readonly enqueues?: boolean }[]): string[] {
  return specs.filter((spec) => spec.enqueues === true).map((spec) => spec.name);
}

/** Whether a spec's function sends SMS (`sendsSms: true`, on any kind of spec). */
export const sendsSms = (spec: object): boolean => 'sendsSms' in spec && spec.sendsSms === true;

/**
 * The IAM resource ARN of an origination identity as SendTextMessage accepts it (OriginationIdentity:
 * a phone number ID or ARN, a pool ID or ARN, a sender ID or its ARN). A phone number written as
 * such (+8613800000000) is refused: its ARN is built on the phone number ID, which only the account
 * knows, and a wildcard over every number would defeat the point of naming one.
 */
export function originationIdentityArn(stack: Stack, identity: string): string {
  const arn = (resource: string, resourceName: string) =>
    stack.formatArn({ service: 'sms-voice', resource, resourceName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  if (/^arn:[\w-]+:sms-voice:/.test(identity)) return identity;
  if (/^phone-[0-9a-zA-Z]+$/.test(identity)) return arn('phone-number', identity);
  if (/^pool-[0-9a-zA-Z]+$/.test(identity)) return arn('pool', identity);
  if (/^\+?\d+$/.test(identity)) {
    throw new Error(
      `smsOriginationIdentity "${identity}" is a phone number: give its phone number ID (phone-…) or ARN ` +
        '(aws pinpoint-sms-voice-v2 describe-phone-numbers), so the SMS policy can name it',
    );
  }
  // A sender ID: its ARN ends with the country code (sender-id/MANYI/CN); it may be registered in several.
  if (/^[A-Za-z0-9_-]{1,11}$/.test(identity)) return arn('sender-id', `${identity}/*`);
  throw new Error(`smsOriginationIdentity "${identity}" is neither an ARN, a phone-/pool- ID nor a sender ID`);
}

/** The IAM resource ARN of a configuration set given by name or ARN. */
export function configurationSetArn(stack: Stack, nameOrArn: string): string {
  if (/^arn:[\w-]+:sms-voice:/.test(nameOrArn)) return nameOrArn;
  return stack.formatArn({ service: 'sms-voice', resource: 'configuration-set', resourceName: nameOrArn, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
}

/**
 * The delivery events the stack's configuration set publishes to the inbound topic: the final
 * outcomes of a text message. The intermediate TEXT_QUEUED and TEXT_PENDING would only multiply
 * invocations and log items; TEXT_SENT cannot be chosen for an event destination.
 */
export const SMS_DELIVERY_EVENT_TYPES: readonly string[] = [
  'TEXT_DELIVERED',
  'TEXT_SUCCESSFUL',
  'TEXT_BLOCKED',
  'TEXT_CARRIER_BLOCKED',
  'TEXT_CARRIER_UNREACHABLE',
  'TEXT_INVALID',
  'TEXT_INVALID_MESSAGE',
  'TEXT_PROTECT_BLOCKED',
  'TEXT_SPAM',
  'TEXT_TTL_EXPIRED',
  'TEXT_UNKNOWN',
  'TEXT_UNREACHABLE',
];
