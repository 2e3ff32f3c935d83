/**
 * The one logger: Powertools structured JSON logs, with personal data masked and secrets dropped
 * by a replacer that sees every key of every entry.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { redactPersonalData } from './privacy';

export type AppLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

export function createLogger(options: { serviceName?: string; logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT' } = {}): Logger {
  return new Logger({
    serviceName: options.serviceName ?? process.env.POWERTOOLS_SERVICE_NAME ?? 'manyi',
    ...(options.logLevel ? { logLevel: options.logLevel } : {}),
    jsonReplacerFn: redactPersonalData,
  });
}
