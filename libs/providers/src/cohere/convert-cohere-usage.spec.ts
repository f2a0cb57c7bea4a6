import { describe, expect, it } from 'vitest';
import { convertCohereUsage } from './convert-cohere-usage';

describe('convertCohereUsage', () => {
  it('bills the billed units and keeps tokens and cached tokens in raw', () => {
    const raw = { billed_units: { input_tokens: 8, output_tokens: 50 }, tokens: { input_tokens: 1394, output_tokens: 54 }, cached_tokens: 1360 };
    expect(convertCohereUsage(raw)).toEqual({
      inputTokens: { total: 8, noCache: 8, cacheRead: 0, cacheWrite: 0 },
      outputTokens: { total: 50, text: 50, reasoning: 0 },
      raw,
    });
  });

  it('splits cached tokens out of `tokens` when no billed units are reported', () => {
    expect(convertCohereUsage({ tokens: { input_tokens: 500, output_tokens: 5 }, cached_tokens: 448 })).toMatchObject({
      inputTokens: { total: 500, noCache: 52, cacheRead: 448, cacheWrite: 0 },
      outputTokens: { total: 5 },
    });
  });

  it('reports zero when usage is missing', () => {
    expect(convertCohereUsage(undefined)).toMatchObject({ inputTokens: { total: 0 }, outputTokens: { total: 0 } });
  });
});
