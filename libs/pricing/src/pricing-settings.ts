import { z } from 'zod';

/**
 * The pricing settings every service that prices reads from its environment (gateway and budget
 * service), spread into each app's settings schema so they share names and meaning.
 */
export const pricingSettingsShape = {
  /** A price file in LiteLLM's `model_prices_and_context_window.json` format, overriding the bundled catalogue. */
  PRICE_OVERRIDES_FILE: z.string().min(1).optional(),
};

export interface PricingSettings {
  PRICE_OVERRIDES_FILE?: string;
}
