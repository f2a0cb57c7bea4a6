import { defaultRequestParams } from '@switchboard/config';
import type { ModelDeployment } from '@switchboard/config';

const requestParams: ReadonlySet<string> = new Set(defaultRequestParams);

/**
 * The request parameters a deployment adds when the request leaves them out (LiteLLM passes every
 * OpenAI parameter in `litellm_params` to the call): `router_settings.default_litellm_params`, then
 * the deployment's own. The request's own values always win; `null` counts as left out.
 */
export function requestDefaultsFor<T extends Record<string, unknown>>(request: T, deployment: ModelDeployment, routerDefaults: Readonly<Record<string, unknown>> = {}): T {
  let result: Record<string, unknown> | undefined;
  for (const source of [deployment.params as Readonly<Record<string, unknown>>, routerDefaults]) {
    for (const [name, value] of Object.entries(source)) {
      if (!requestParams.has(name) || value === undefined || value === null) continue;
      if (request[name] !== undefined && request[name] !== null) continue;
      if (result && result[name] !== undefined) continue;
      result ??= { ...request };
      result[name] = value;
    }
  }
  return (result ?? request) as T;
}
