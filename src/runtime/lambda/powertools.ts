/**
 * Powertools for AWS Lambda, once per function: structured JSON logs (Logger), CloudWatch EMF metrics
 * (Metrics, namespace `Cairn`) and X-Ray traces of every SDK client (Tracer). The core sees only the
 * Logger port; secrets never reach a log field (the adapters never put them there).
 */
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Logger } from '../../ports/logger.ts';

export const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'cairn';
export const powertoolsLogger = new PowertoolsLogger({ serviceName });
export const metrics = new Metrics({ namespace: 'Cairn', serviceName });
export const tracer = new Tracer({ serviceName });
export { MetricUnit };

/** The Logger port over Powertools Logger. */
export const logger: Logger = {
  debug: (fields, message) => powertoolsLogger.debug(message, fields),
  info: (fields, message) => powertoolsLogger.info(message, fields),
  warn: (fields, message) => powertoolsLogger.warn(message, fields),
  error: (fields, message) => powertoolsLogger.error(message, fields),
};

/** Traces an SDK v3 client (a no-op outside Lambda or with tracing off). */
export function traced<T>(client: T): T {
  return tracer.captureAWSv3Client(client as never) as T;
}
