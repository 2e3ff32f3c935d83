/**
 * Runtime configuration from the environment, validated once. The same variables configure the
 * Lambda functions (set by the stack) and the local runtime (set by functions/local).
 */
import { z } from 'zod';
import { DEFAULT_TIME_ZONE } from '../domain/questionnaire';

export const configSchema = z.object({
  TABLE_NAME: z.string().min(1, { error: 'TABLE_NAME is required' }),
  /** Base of respondent links, e.g. https://survey.example.com; otherwise taken from the request. */
  PUBLIC_BASE_URL: z.url().optional(),
  MANYI_TIME_ZONE: z.string().default(DEFAULT_TIME_ZONE),
  MANYI_INVITATION_EXPIRES_DAYS: z.coerce.number().int().positive().max(365).default(7),
});

export interface Config {
  tableName: string;
  publicBaseUrl: string | undefined;
  timeZone: string;
  invitationExpiresDays: number;
}

export function configFromEnv(env: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.parse(env);
  return {
    tableName: parsed.TABLE_NAME,
    publicBaseUrl: parsed.PUBLIC_BASE_URL?.replace(/\/+$/, ''),
    timeZone: parsed.MANYI_TIME_ZONE,
    invitationExpiresDays: parsed.MANYI_INVITATION_EXPIRES_DAYS,
  };
}
