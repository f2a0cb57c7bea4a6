export { createLogger, redactedPaths } from './logger';
export type { Logger, LoggerOptions } from './logger';
export { createMetricsRegistry, startMetricsServer } from './metrics-server';
export type { MetricsServerOptions } from './metrics-server';
