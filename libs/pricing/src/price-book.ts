import catalogue from './catalogue.json';
import { parseUsd } from './money';
import { priceFromEntry } from './model-price';
import type { LiteLlmPriceEntry, ModelPrice } from './model-price';

/** What to do with a model that has no price: never bill it silently at 0. */
export type UnpricedPolicy = { kind: 'refuse' } | { kind: 'default'; price: ModelPrice } | { kind: 'flag' };

export interface PricedDeployment {
  provider: string;
  upstreamModel: string;
  params: Readonly<Record<string, unknown>>;
  info: Readonly<Record<string, unknown>>;
}

/** Providers whose models are free by construction (the built-in mock). */
const freeProviders = new Set(['mock']);

/**
 * Prices, most specific first: the deployment's own (`litellm_params` / `model_info`), an override
 * file in LiteLLM's `model_prices_and_context_window.json` format, then the bundled catalogue
 * (a dated snapshot of public list prices, libs/pricing/src/catalogue.json).
 */
export class PriceBook {
  private readonly entries = new Map<string, LiteLlmPriceEntry & { source: string }>();

  constructor(overrides: Record<string, LiteLlmPriceEntry> = {}) {
    for (const [name, entry] of Object.entries(catalogue as Record<string, LiteLlmPriceEntry>)) this.entries.set(name, { ...entry, source: 'catalogue' });
    for (const [name, entry] of Object.entries(overrides)) this.entries.set(name, { ...entry, source: 'override' });
  }

  /** The catalogue's models of a provider (`gpt-4o` for `openai`), without the provider prefix: what a `openai/*` wildcard reaches. */
  knownModels(provider: string): string[] {
    const names: string[] = [];
    for (const [name, entry] of this.entries) {
      if (entry.litellm_provider !== provider) continue;
      names.push(name.startsWith(`${provider}/`) ? name.slice(provider.length + 1) : name);
    }
    return names;
  }

  priceFor(deployment: PricedDeployment): ModelPrice | undefined {
    if (freeProviders.has(deployment.provider)) return { inputPerToken: 0n, outputPerToken: 0n, source: 'free' };
    const own = priceFromEntry({ ...deployment.info, ...deployment.params } as LiteLlmPriceEntry, 'deployment');
    if (own) return own;
    const baseModel = typeof deployment.info.base_model === 'string' ? deployment.info.base_model : undefined;
    const candidates = [baseModel, `${deployment.provider}/${deployment.upstreamModel}`, deployment.upstreamModel, lastSegment(deployment.upstreamModel)];
    for (const candidate of candidates) {
      if (!candidate) continue;
      const entry = this.entries.get(candidate) ?? this.entries.get(lastSegment(candidate));
      if (entry) return priceFromEntry(entry, entry.source);
    }
    return undefined;
  }
}

function lastSegment(model: string): string {
  return model.slice(model.lastIndexOf('/') + 1);
}

/** The default price of `general_settings.default_cost_per_token`-style settings, when configured. */
export function defaultPrice(inputPerToken: string | number, outputPerToken: string | number): ModelPrice {
  return { inputPerToken: parseUsd(inputPerToken), outputPerToken: parseUsd(outputPerToken), source: 'default' };
}
