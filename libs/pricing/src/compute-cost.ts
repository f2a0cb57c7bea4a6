import type { Usage } from '@switchboard/spec';
import type { ModelPrice } from './model-price';

export interface CostBreakdown {
  input: bigint;
  cacheRead: bigint;
  cacheWrite: bigint;
  output: bigint;
  reasoning: bigint;
  total: bigint;
}

/**
 * The exact cost of one call: uncached input, cache reads, cache writes, text output and reasoning
 * output each at their own price (falling back to the input / output price where a provider has
 * none), with the long-context tier when the prompt crosses it.
 */
export function computeCost(usage: Usage, price: ModelPrice): CostBreakdown {
  const aboveTier = price.tierThresholdTokens !== undefined && usage.inputTokens.total > price.tierThresholdTokens;
  const inputPrice = (aboveTier ? price.inputPerTokenAboveTier : undefined) ?? price.inputPerToken;
  const outputPrice = (aboveTier ? price.outputPerTokenAboveTier : undefined) ?? price.outputPerToken;
  const input = BigInt(usage.inputTokens.noCache) * inputPrice;
  const cacheRead = BigInt(usage.inputTokens.cacheRead) * (price.cacheReadPerToken ?? inputPrice);
  const cacheWrite = BigInt(usage.inputTokens.cacheWrite) * (price.cacheWritePerToken ?? inputPrice);
  const output = BigInt(usage.outputTokens.text) * outputPrice;
  const reasoning = BigInt(usage.outputTokens.reasoning) * (price.reasoningPerToken ?? outputPrice);
  return { input, cacheRead, cacheWrite, output, reasoning, total: input + cacheRead + cacheWrite + output + reasoning };
}
