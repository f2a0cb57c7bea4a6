import { Controller, Get, Inject, UseGuards } from '@nestjs/common';
import type { SwitchboardConfig } from '@switchboard/config';
import { AuthGuard } from '../auth/auth.guard';
import { SWITCHBOARD_CONFIG } from '../bootstrap/tokens';

const secretName = /key|secret|password|token|credential|authorization/i;

/** Values under secret-looking names become `*****`; `os.environ/NAME` references stay visible. */
export function maskSecrets(value: unknown, name = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => maskSecrets(item, name));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskSecrets(item, key)]));
  if (secretName.test(name) && typeof value === 'string' && !value.startsWith('os.environ/')) return '*****';
  return value;
}

const names = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

/**
 * LiteLLM's `GET /get/config/callbacks`: the callbacks, alerting and router settings the proxy runs
 * with, read from the config file (secrets masked), plus the cache settings and guardrails. The
 * config file is the source of truth: there is no route that changes it.
 */
@Controller()
@UseGuards(AuthGuard)
export class ConfigSettingsController {
  constructor(@Inject(SWITCHBOARD_CONFIG) private readonly config: SwitchboardConfig) {}

  @Get('get/config/callbacks')
  callbacks() {
    const litellm = this.config.litellmSettings;
    const general = this.config.generalSettings;
    const callbacks = [
      ...names(litellm.success_callback).map((name) => ({ name, type: 'success' })),
      ...names(litellm.failure_callback).map((name) => ({ name, type: 'failure' })),
      ...names(litellm.callbacks).map((name) => ({ name, type: 'success_and_failure' })),
    ];
    return {
      status: 'success',
      callbacks,
      alerts: names(general.alerting).map((name) => ({ name, alert_types: maskSecrets(general.alert_types ?? null) })),
      router_settings: maskSecrets(this.config.routerSettings),
      cache: { enabled: litellm.cache === true, cache_params: maskSecrets(litellm.cache_params ?? {}) },
      guardrails: maskSecrets(litellm.guardrails ?? []),
      general_settings: maskSecrets(Object.fromEntries(Object.entries(general).filter(([name]) => !['masterKey', 'databaseUrl', 'master_key', 'database_url'].includes(name)))),
    };
  }
}
