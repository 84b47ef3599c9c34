import { LogFormatter, LogItem, Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { redact, redactString, stackFrames } from './redact';

/**
 * Powertools' standard JSON format with a redaction step in front: every line's message, keys (persistent and per call)
 * and errors pass through `redact` before they are written.
 */
class RedactingLogFormatter extends LogFormatter {
  // The same keys, in the same order, as Powertools' own formatter, so log queries and dashboards work unchanged.
  override formatAttributes(attributes: UnformattedAttributes, additionalLogAttributes: LogAttributes): LogItem {
    const base = {
      level: attributes.logLevel,
      message: redactString(attributes.message),
      timestamp: this.formatTimestamp(attributes.timestamp),
      service: attributes.serviceName,
      cold_start: attributes.lambdaContext?.coldStart,
      function_arn: attributes.lambdaContext?.invokedFunctionArn,
      function_memory_size: attributes.lambdaContext?.memoryLimitInMB,
      function_name: attributes.lambdaContext?.functionName,
      function_request_id: attributes.lambdaContext?.awsRequestId,
      sampling_rate: attributes.sampleRateValue,
      xray_trace_id: attributes.xRayTraceId,
    };
    return new LogItem({ attributes: base }).addAttributes(redact(additionalLogAttributes) as LogAttributes);
  }

  /** Class, location and stack frames; never the message, which may quote the input that caused the error. */
  override formatError(error: Error): LogAttributes {
    const { location } = super.formatError(error);
    return { name: error.name, location: location as string, stack: stackFrames(error.stack) };
  }
}

/**
 * The one structured JSON logger (Powertools). Log ids and outcomes, never request or response bodies, and never personal
 * values; the formatter redacts whatever slips through.
 */
export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'forget-me-not',
  logLevel: (process.env.POWERTOOLS_LOG_LEVEL as 'INFO' | undefined) ?? 'INFO',
  logFormatter: new RedactingLogFormatter(),
});
