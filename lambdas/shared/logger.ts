import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one structured JSON logger (Powertools). Log ids and outcomes, never request or response bodies, and never personal
 * values: the audit issue adds a redaction step in front of every line as a second line of defence.
 */
export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'forget-me-not',
  logLevel: (process.env.POWERTOOLS_LOG_LEVEL as 'INFO' | undefined) ?? 'INFO',
});
