export { createLogger, redactedPaths } from './logger';
export type { Logger, LoggerOptions } from './logger';
export { createMetricsRegistry, startMetricsServer } from './metrics-server';
export type { MetricsServerOptions } from './metrics-server';
export { SpanKind, SpanStatusCode, endSpan, extractContext, startTracing, traceHeadersOf } from './tracing';
export type { Attributes, Context, Span, Tracing } from './tracing';
export { redactSecretsInJson, redactSecretsInText } from './redact-text';
export * from './health';
