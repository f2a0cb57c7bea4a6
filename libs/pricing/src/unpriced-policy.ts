import type { SwitchboardConfig } from '@switchboard/config';
import { defaultPrice } from './price-book';
import type { UnpricedPolicy } from './price-book';

/**
 * `general_settings.unpriced_model_policy`: what a model without any price gets.
 * - `flag` (default): served, its ledger rows flagged `price_missing` at cost 0;
 * - `refuse`: the gateway refuses requests to it (400 `model_price_missing`);
 * - `default`: billed at `default_input_cost_per_token` / `default_output_cost_per_token`, still flagged.
 */
export function unpricedPolicyFrom(config: SwitchboardConfig): UnpricedPolicy {
  const settings = config.generalSettings;
  const policy = settings.unpriced_model_policy ?? 'flag';
  if (policy === 'refuse') return { kind: 'refuse' };
  if (policy === 'default') {
    const input = settings.default_input_cost_per_token;
    const output = settings.default_output_cost_per_token;
    if ((typeof input !== 'string' && typeof input !== 'number') || (typeof output !== 'string' && typeof output !== 'number')) {
      throw new Error('general_settings.unpriced_model_policy is "default": set default_input_cost_per_token and default_output_cost_per_token');
    }
    return { kind: 'default', price: defaultPrice(input, output) };
  }
  if (policy !== 'flag') throw new Error(`general_settings.unpriced_model_policy must be flag, refuse or default (got ${JSON.stringify(policy)})`);
  return { kind: 'flag' };
}
