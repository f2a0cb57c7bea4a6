import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { redactedPaths } from './logger';

describe('redactedPaths', () => {
  it('removes keys and credentials from log lines', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString());
        callback();
      },
    });
    const logger = pino({ redact: { paths: redactedPaths, censor: '[REDACTED]' } }, sink);
    logger.info({ headers: { authorization: 'Bearer sk-canary-1234567890' }, deployment: { api_key: 'sk-canary-2' } }, 'request');
    expect(lines.join('')).not.toContain('sk-canary');
    expect(lines.join('')).toContain('[REDACTED]');
  });
});
