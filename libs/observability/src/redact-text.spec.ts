import { describe, expect, it } from 'vitest';
import { redactSecretsInJson, redactSecretsInText } from './redact-text';

describe('redactSecretsInText', () => {
  it.each([
    ['my key is sk-proj-abcdefghijklmnop1234', 'my key is [REDACTED]'],
    ['sk-ant-api03-abcdefghijklmnopqrstu', '[REDACTED]'],
    ['AKIAIOSFODNN7EXAMPLE in config', '[REDACTED] in config'],
    ['Authorization: Bearer abcdefghijklmnopqrstuvwxyz', 'Authorization: [REDACTED]'],
    ['token eyJhbGciOiJIUzI1.eyJzdWIiOiIxMjM0NTY3.SflKxwRJSMeKKF2QT4fw', 'token [REDACTED]'],
    ['a skeleton key: sk-short', 'a skeleton key: sk-short'],
  ])('%s', (text, expected) => expect(redactSecretsInText(text)).toBe(expected));

  it('redacts strings anywhere in messages', () => {
    expect(redactSecretsInJson([{ role: 'user', content: [{ type: 'text', text: 'use sk-0123456789abcdefghij' }] }])).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'use [REDACTED]' }] },
    ]);
  });
});
