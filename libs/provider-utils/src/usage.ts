import type { Usage } from '@switchboard/spec';

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
