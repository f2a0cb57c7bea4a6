import type { Usage } from '@switchboard/spec';
import { estimateTokens } from './estimate-tokens';

/** Builds a Usage from totals and parts, keeping the parts consistent with the totals. */
export function buildUsage(values: {
  inputTotal: number;
  cacheRead?: number;
  cacheWrite?: number;
  outputTotal: number;
  reasoning?: number;
  raw?: unknown;
}): Usage {
  const cacheRead = values.cacheRead ?? 0;
  const cacheWrite = values.cacheWrite ?? 0;
  const reasoning = values.reasoning ?? 0;
  return {
    inputTokens: {
      total: values.inputTotal,
      noCache: Math.max(0, values.inputTotal - cacheRead - cacheWrite),
      cacheRead,
      cacheWrite,
    },
    outputTokens: { total: values.outputTotal, text: Math.max(0, values.outputTotal - reasoning), reasoning },
    raw: values.raw,
  };
}

/**
 * Usage estimated from the text sent and received (about four characters a token), for answers
 * that carry no counts; flagged `estimated` in `raw` so that nobody takes it for the provider's.
 */
export function estimatedUsage(inputText: string, outputText: string): Usage {
  return buildUsage({ inputTotal: estimateTokens(inputText), outputTotal: estimateTokens(outputText), raw: { estimated: true } });
}

/** An embedding's tokens as canonical usage (input only), so settlement and pricing treat it like chat. */
export function embeddingUsage(result: { usage: { inputTokens: number } }): Usage {
  const input = result.usage.inputTokens;
  return { inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 0, text: 0, reasoning: 0 } };
}
