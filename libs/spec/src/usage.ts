/**
 * Token usage as Switchboard keeps it: input split by cache state, output split by kind,
 * and the provider's raw usage object for pricing and audit.
 * `total` fields are the provider's totals; the parts add up to them when the provider reports parts.
 */
export interface Usage {
  inputTokens: {
    total: number;
    noCache: number;
    cacheRead: number;
    cacheWrite: number;
  };
  outputTokens: {
    total: number;
    text: number;
    reasoning: number;
  };
  raw?: unknown;
}

export function emptyUsage(): Usage {
  return {
    inputTokens: { total: 0, noCache: 0, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: 0, text: 0, reasoning: 0 },
  };
}
