import type { RouteRequest } from '@switchboard/router';
import { SwitchboardError, quoteInput } from '@switchboard/spec';
import type { VerifiedKey } from './key-verifier';

/**
 * LiteLLM's refusal (`key_model_access_denied`, 401), so SDK error handling that matches on it keeps
 * working. `model` is the concrete group; `requestedAs` the name the client used (an alias), which
 * the key's list may name instead, as LiteLLM accepts either.
 */
export function assertModelAllowed(verified: VerifiedKey | undefined, model: string, param = 'model', requestedAs = model): void {
  const allowed = verified?.allowedModels;
  if (allowed && !allowed.has(model) && !allowed.has(requestedAs)) {
    throw new SwitchboardError('authentication', `key not allowed to access model. This key can only access models=${[...allowed].join(',')}. Tried to access ${quoteInput(requestedAs)}`, { param });
  }
}

/**
 * Every model group a request can reach is one the key may call: the model and each of the
 * request's `fallbacks` are checked before anything is routed (a forbidden one refuses the whole
 * request, as LiteLLM's `_enforce_key_and_fallback_model_access` does), by their concrete names
 * (aliases resolved, a wildcard match as the name it matched). The configured fallbacks
 * (`router_settings.fallbacks` and friends, the admin's) are skipped when the key may not call
 * them only with `general_settings.enforce_fallback_model_access: true`, LiteLLM's opt-in.
 */
export function authorizeRouteModels(verified: VerifiedKey | undefined, route: RouteRequest, enforceConfiguredFallbacks: boolean, requestedAs: (modelGroup: string) => string = (name) => name): RouteRequest {
  assertModelAllowed(verified, route.modelGroup, 'model', requestedAs(route.modelGroup));
  for (const fallback of route.fallbacks ?? []) assertModelAllowed(verified, fallback, 'fallbacks', requestedAs(fallback));
  const allowed = verified?.allowedModels;
  if (!allowed || !enforceConfiguredFallbacks) return route;
  return { ...route, allowFallback: (modelGroup) => allowed.has(modelGroup) };
}
