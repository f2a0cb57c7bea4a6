import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseUsd } from './money';
import type { LiteLlmPriceEntry } from './model-price';

/** The price fields Switchboard bills by; every other `*cost*` field of LiteLLM's format is not billed (reported at boot). */
export const billedPriceFields = [
  'input_cost_per_token',
  'output_cost_per_token',
  'cache_read_input_token_cost',
  'cache_creation_input_token_cost',
  'output_cost_per_reasoning_token',
  'input_cost_per_token_above_200k_tokens',
  'output_cost_per_token_above_200k_tokens',
] as const;

const decimal = z.union([z.number(), z.string()]).refine((value) => {
  try {
    return parseUsd(value) >= 0n;
  } catch {
    return false;
  }
}, 'must be a non-negative decimal number');

const entrySchema = z.looseObject(Object.fromEntries(billedPriceFields.map((field) => [field, decimal.nullable().optional()])));

export interface PriceOverrides {
  entries: Record<string, LiteLlmPriceEntry>;
  /** `<model>.<field>` of cost fields present in the file that Switchboard does not bill by (per-second, per-image, ...). */
  unbilledFields: string[];
}

/**
 * Reads a price file in LiteLLM's `model_prices_and_context_window.json` format. A price that is
 * not a decimal stops the service at boot with the model and field named; LiteLLM's `sample_spec`
 * entry is skipped. Cost fields Switchboard does not bill by are listed, so the service can say so.
 */
export function loadPriceOverrides(path: string): PriceOverrides {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`PRICE_OVERRIDES_FILE ${path} could not be read as JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parsePriceOverrides(parsed, path);
}

export function parsePriceOverrides(parsed: unknown, source = 'PRICE_OVERRIDES_FILE'): PriceOverrides {
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`${source} must be a JSON object of model name to price entry`);
  const entries: Record<string, LiteLlmPriceEntry> = {};
  const unbilledFields: string[] = [];
  for (const [model, value] of Object.entries(parsed)) {
    if (model === 'sample_spec') continue;
    const result = entrySchema.safeParse(value);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new Error(`${source}: ${[model, ...issue.path.map(String)].join('.')}: ${issue.message}`);
    }
    for (const field of Object.keys(result.data)) {
      if (/cost/.test(field) && !(billedPriceFields as readonly string[]).includes(field)) unbilledFields.push(`${model}.${field}`);
    }
    entries[model] = result.data as LiteLlmPriceEntry;
  }
  return { entries, unbilledFields };
}
