/**
 * Runtime configuration from the environment, validated once. The same variables configure the
 * Lambda functions (set by the stack) and the local runtime (set by functions/local).
 */
import * as z from '../domain/zod';
import { DEFAULT_TIME_ZONE } from '../domain/time-zone';

export const configSchema = z.object({
  TABLE_NAME: z.string().check(z.minLength(1, { error: 'TABLE_NAME is required' })),
  /** Base of respondent links, e.g. https://survey.example.com; otherwise taken from the request. */
  PUBLIC_BASE_URL: z.optional(z.url()),
  MANYI_TIME_ZONE: z._default(z.string(), DEFAULT_TIME_ZONE),
  MANYI_INVITATION_EXPIRES_DAYS: z._default(z.coerce.number().check(z.int(), z.positive(), z.lte(365)), 7),
  /** Below this many responses a unit's figures are withheld (statistical honesty, anonymity of staff). */
  MANYI_MINIMUM_N: z._default(z.coerce.number().check(z.int(), z.gte(1)), 10),
  /** Region used to read phone numbers written without a country code. */
  MANYI_DEFAULT_REGION: z._default(z.string().check(z.regex(/^[A-Z]{2}$/)), 'CN'),
  MANYI_FREQUENCY_CAP_DAYS: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(365)), 30),
  MANYI_QUIET_HOURS: z._default(z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, { error: 'expected HH:MM-HH:MM' })), '21:00-08:00'),
  MANYI_REMINDER_DELAY: z._default(z.string(), 'PT48H'),
  MANYI_SMS_SEGMENT_PRICE: z._default(z.coerce.number().check(z.gte(0)), 0.045),
  MANYI_SMS_CURRENCY: z._default(z.string(), 'CNY'),
  MANYI_SMS_RATE_PER_MINUTE: z._default(z.coerce.number().check(z.int(), z.positive()), 120),
  MANYI_SMS_LOG_RETENTION_DAYS: z._default(z.coerce.number().check(z.int(), z.positive()), 180),
  /** Signature of messages that belong to no campaign (replies to unknown senders). */
  MANYI_SMS_SIGNATURE: z._default(z.string().check(z.minLength(1)), '【满意调查】'),
  /** AWS: the dispatch queue, and the End User Messaging origination identity and configuration set. */
  /** Days an audit record is kept (DynamoDB's TTL deletes it after). */
  MANYI_AUDIT_RETENTION_DAYS: z._default(z.coerce.number().check(z.int(), z.positive(), z.lte(3650)), 400),
  /** Months without activity (no import changing the contact, no invitation) after which a contact is erased. */
  MANYI_CONTACT_RETENTION_MONTHS: z._default(z.coerce.number().check(z.int(), z.positive(), z.lte(240)), 24),
  /** Months after which the free text of a response is replaced by a mark (scores and choices stay). */
  MANYI_FREE_TEXT_RETENTION_MONTHS: z._default(z.coerce.number().check(z.int(), z.positive(), z.lte(240)), 24),
  /** Hours a local sign-in token (and its session cookie) lasts. */
  MANYI_SESSION_HOURS: z._default(z.coerce.number().check(z.positive(), z.lte(24 * 30)), 8),
  /**
   * Field-level encryption of phone numbers, names and e-mail addresses at rest
   * (./field-protection.ts): `on` seals them; off by default locally, on in the AWS stack.
   */
  MANYI_FIELD_ENCRYPTION: z._default(z.enum(['on', 'off']), 'off'),
  /** AWS: the KMS key that wraps the field-encryption data key (the functions that read or write personal data). */
  FIELD_KEY_ID: z.optional(z.string()),
  /** AWS: the Cognito user pool of the stack (the functions that manage users). */
  USER_POOL_ID: z.optional(z.string()),
  QUEUE_URL: z.optional(z.string()),
  SMS_ORIGINATION_IDENTITY: z.optional(z.string()),
  SMS_CONFIGURATION_SET: z.optional(z.string()),
});

export interface Config {
  tableName: string;
  publicBaseUrl: string | undefined;
  /** Time zone of contacts that do not name one. */
  timeZone: string;
  invitationExpiresDays: number;
  minimumN: number;
  defaultRegion: string;
  frequencyCapDays: number;
  quietHours: { start: string; end: string };
  reminderDelay: string;
  sms: {
    segmentPrice: number;
    currency: string;
    ratePerMinute: number;
    logRetentionDays: number;
    signature: string;
    originationIdentity: string | undefined;
    configurationSet: string | undefined;
  };
  queueUrl: string | undefined;
  auditRetentionDays: number;
  retention: { contactMonths: number; freeTextMonths: number };
  sessionHours: number;
  userPoolId: string | undefined;
  /** Whether personal fields are sealed, and (AWS) the KMS key that wraps the data key, in the functions that hold it. */
  fieldEncryption: { enabled: boolean; kmsKeyId: string | undefined };
}

export function configFromEnv(env: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.parse(env);
  return {
    tableName: parsed.TABLE_NAME,
    publicBaseUrl: parsed.PUBLIC_BASE_URL?.replace(/\/+$/, ''),
    timeZone: parsed.MANYI_TIME_ZONE,
    invitationExpiresDays: parsed.MANYI_INVITATION_EXPIRES_DAYS,
    minimumN: parsed.MANYI_MINIMUM_N,
    defaultRegion: parsed.MANYI_DEFAULT_REGION,
    frequencyCapDays: parsed.MANYI_FREQUENCY_CAP_DAYS,
    quietHours: { start: parsed.MANYI_QUIET_HOURS.slice(0, 5), end: parsed.MANYI_QUIET_HOURS.slice(6) },
    reminderDelay: parsed.MANYI_REMINDER_DELAY,
    sms: {
      segmentPrice: parsed.MANYI_SMS_SEGMENT_PRICE,
      currency: parsed.MANYI_SMS_CURRENCY,
      ratePerMinute: parsed.MANYI_SMS_RATE_PER_MINUTE,
      logRetentionDays: parsed.MANYI_SMS_LOG_RETENTION_DAYS,
      signature: parsed.MANYI_SMS_SIGNATURE,
      originationIdentity: parsed.SMS_ORIGINATION_IDENTITY,
      configurationSet: parsed.SMS_CONFIGURATION_SET,
    },
    queueUrl: parsed.QUEUE_URL,
    auditRetentionDays: parsed.MANYI_AUDIT_RETENTION_DAYS,
    retention: { contactMonths: parsed.MANYI_CONTACT_RETENTION_MONTHS, freeTextMonths: parsed.MANYI_FREE_TEXT_RETENTION_MONTHS },
    sessionHours: parsed.MANYI_SESSION_HOURS,
    userPoolId: parsed.USER_POOL_ID,
    fieldEncryption: { enabled: parsed.MANYI_FIELD_ENCRYPTION === 'on', kmsKeyId: parsed.FIELD_KEY_ID },
  };
}
