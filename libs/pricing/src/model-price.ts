import { parseUsd } from './money';

/** One model's prices, per token, in pico-dollars. Absent cache / reasoning prices fall back to input / output. */
export interface ModelPrice {
  inputPerToken: bigint;
  outputPerToken: bigint;
  cacheReadPerToken?: bigint;
  cacheWritePerToken?: bigint;
  reasoningPerToken?: bigint;
  /** Tiered pricing (Gemini 2.5 Pro, Claude long context): prices when the prompt exceeds `tierThresholdTokens`. */
  tierThresholdTokens?: number;
  inputPerTokenAboveTier?: bigint;
  outputPerTokenAboveTier?: bigint;
  /** Where the price came from: `deployment`, `override`, `catalogue`, `default`. */
  source: string;
}

/** A price entry in LiteLLM's `model_prices_and_context_window.json` format (the fields Switchboard reads). */
export interface LiteLlmPriceEntry {
  input_cost_per_token?: number | string;
  output_cost_per_token?: number | string;
  cache_read_input_token_cost?: number | string;
  cache_creation_input_token_cost?: number | string;
  output_cost_per_reasoning_token?: number | string;
  input_cost_per_token_above_200k_tokens?: number | string;
  output_cost_per_token_above_200k_tokens?: number | string;
  litellm_provider?: string;
  max_input_tokens?: number;
  mode?: string;
}

const optional = (value: number | string | undefined) => (value === undefined || value === null ? undefined : parseUsd(value));

/** A price from a LiteLLM-format entry; undefined when it names no input and output price. */
export function priceFromEntry(entry: LiteLlmPriceEntry, source: string): ModelPrice | undefined {
  if (entry.input_cost_per_token === undefined && entry.output_cost_per_token === undefined) return undefined;
  const above = entry.input_cost_per_token_above_200k_tokens !== undefined || entry.output_cost_per_token_above_200k_tokens !== undefined;
  return {
    inputPerToken: parseUsd(entry.input_cost_per_token ?? 0),
    outputPerToken: parseUsd(entry.output_cost_per_token ?? 0),
    cacheReadPerToken: optional(entry.cache_read_input_token_cost),
    cacheWritePerToken: optional(entry.cache_creation_input_token_cost),
    reasoningPerToken: optional(entry.output_cost_per_reasoning_token),
    tierThresholdTokens: above ? 200_000 : undefined,
    inputPerTokenAboveTier: optional(entry.input_cost_per_token_above_200k_tokens),
    outputPerTokenAboveTier: optional(entry.output_cost_per_token_above_200k_tokens),
    source,
  };
}
