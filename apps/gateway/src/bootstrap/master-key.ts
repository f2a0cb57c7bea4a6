import { randomBytes } from 'node:crypto';
import type { SwitchboardConfig } from '@switchboard/config';
import type { GatewaySettings } from '../gateway-settings.schema';

export interface MasterKeyChoice {
  key: string;
  generated: boolean;
}

/** `general_settings.master_key` first, then `MASTER_KEY` / `LITELLM_MASTER_KEY`; else a random one for this run. */
export function chooseMasterKey(config: SwitchboardConfig, settings: GatewaySettings): MasterKeyChoice {
  const configured = config.generalSettings.masterKey ?? settings.MASTER_KEY ?? settings.LITELLM_MASTER_KEY;
  if (configured) return { key: configured, generated: false };
  return { key: `sk-${randomBytes(24).toString('base64url')}`, generated: true };
}
