import pino from 'pino';
import type { Logger } from 'pino';

/**
 * The one redaction list: any of these paths in a log object is replaced before it is written.
 * Keys, tokens and provider credentials must never reach a log line.
 */
export const redactedPaths = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers["api-key"]',
  'apiKey',
  '*.apiKey',
  'api_key',
  '*.api_key',
  'masterKey',
  'master_key',
  '*.master_key',
  'aws_secret_access_key',
  '*.aws_secret_access_key',
  'aws_session_token',
  '*.aws_session_token',
  'vertex_credentials',
  '*.vertex_credentials',
  'password',
  '*.password',
  // Per-key and per-team callback settings can hold a destination's credentials.
  'callback_vars',
  '*.callback_vars',
  'logging',
  '*.logging',
];

export interface LoggerOptions {
  service: string;
  level?: string;
}

/**
 * A service's logger: JSON lines on stdout, written asynchronously (the request path never waits on a
 * slow stdout pipe; pino flushes what is buffered when the process exits).
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      name: options.service,
      level: options.level ?? 'info',
      base: { service: options.service },
      redact: { paths: redactedPaths, censor: '[REDACTED]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    pino.destination({ dest: 1, sync: false }),
  );
}

export type { Logger };
