import { LogFormatter, LogItem, Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { currentInvocation } from './invocation';
import { redact, type RedactedError } from './redact';

/**
 * Powertools' standard JSON layout with `redact` in front: the message, the persistent keys (`appendKeys`) and the keys of
 * each call, errors included, are redacted before the line is laid out. Powertools hands every line, buffered ones too,
 * to `formatAttributes`, so nothing reaches stdout around it.
 */
export class RedactingLogFormatter extends LogFormatter {
  // Powertools does not export its own formatter, so its layout is repeated here (same keys, same order), and log
  // queries and dashboards work unchanged.
  override formatAttributes(attributes: UnformattedAttributes, additionalLogAttributes: LogAttributes): LogItem {
    // Locally several functions share this logger; the invocation on this async path names the function (see invocation.ts).
    const local = currentInvocation();
    const context = local
      ? { ...attributes.lambdaContext, functionName: local.functionName, invokedFunctionArn: local.invokedFunctionArn,
          memoryLimitInMB: Number(local.memoryLimitInMB), awsRequestId: local.awsRequestId }
      : attributes.lambdaContext;
    const base = {
      level: attributes.logLevel,
      // the other base attributes (service, Lambda context, trace id) come from the runtime, not the caller
      message: redact(attributes.message) as string,
      timestamp: this.formatTimestamp(attributes.timestamp),
      service: attributes.serviceName,
      cold_start: context?.coldStart,
      function_arn: context?.invokedFunctionArn,
      function_memory_size: context?.memoryLimitInMB,
      function_name: context?.functionName,
      function_request_id: context?.awsRequestId,
      sampling_rate: attributes.sampleRateValue,
      xray_trace_id: attributes.xRayTraceId,
      tenant_id: context?.tenantId,
    };
    return new LogItem({ attributes: base }).addAttributes(redact(additionalLogAttributes) as LogAttributes);
  }

  /**
   * Only reached by an error that somehow skipped `formatAttributes`; it gets the same shape as there (class, location,
   * redacted stack) instead of Powertools' default, which copies the message and every own property of the error.
   */
  override formatError(error: Error): LogAttributes {
    const { name, stack, cause } = redact(error) as RedactedError;
    return { name, location: this.getCodeLocation(error.stack), stack, cause };
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
