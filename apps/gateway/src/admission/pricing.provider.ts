import type { Provider } from '@nestjs/common';
import type { SwitchboardConfig } from '@switchboard/config';
import type { Logger } from '@switchboard/observability';
import { PricingService } from '@switchboard/pricing';
import { GATEWAY_SETTINGS, LOGGER, SWITCHBOARD_CONFIG } from '../bootstrap/tokens';
import type { GatewaySettings } from '../gateway-settings.schema';
import { ModelRouter } from '../routing/model-router.service';

/**
 * The gateway's copy of the one price book (docs/ARCHITECTURE.md D16): the same config and
 * `PRICE_OVERRIDES_FILE` as the budget service's, over the routable deployments (config and
 * stored), so a reservation, `x-litellm-response-cost` and the ledger agree to the pico-dollar.
 */
export const pricingProvider: Provider = {
  provide: PricingService,
  inject: [SWITCHBOARD_CONFIG, GATEWAY_SETTINGS, ModelRouter, LOGGER],
  useFactory: (config: SwitchboardConfig, settings: GatewaySettings, router: ModelRouter, logger: Logger) => {
    // Priced as the router serves a name: aliases resolved, a wildcard group's concrete model.
    const pricing = PricingService.fromSettings(config, settings, () => router.allDeployments(), (modelGroup) => router.deploymentsFor(modelGroup));
    logger.info({ priceOverrides: pricing.overridesFingerprint }, 'price book loaded');
    if (pricing.unbilledOverrideFields.length) logger.warn({ fields: pricing.unbilledOverrideFields.slice(0, 50) }, 'PRICE_OVERRIDES_FILE has cost fields Switchboard does not bill by');
    return pricing;
  },
};
