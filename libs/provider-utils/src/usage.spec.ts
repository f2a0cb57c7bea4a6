import { describe, expect, it } from 'vitest';
import type { Usage } from '@switchboard/spec';
import { estimatedUsage } from './usage';

describe('estimatedUsage', () => {
  it.each<[string, string, string, Usage]>([
    [
      'about four characters a token, flagged as estimated',
      'x'.repeat(40),
      'y'.repeat(9),
      {
        inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
        outputTokens: { total: 3, text: 3, reasoning: 0 },
        raw: { estimated: true },
      },
    ],
    [
      'no tokens for no text',
      '',
      '',
      {
        inputTokens: { total: 0, noCache: 0, cacheRead: 0, cacheWrite: 0 },
        outputTokens: { total: 0, text: 0, reasoning: 0 },
        raw: { estimated: true },
      },
    ],
  ])('counts %s', (_name, inputText, outputText, expected) => {
    expect(estimatedUsage(inputText, outputText)).toEqual(expected);
  });
});
