import type { KeyIdentity } from '@switchboard/contracts';
import type { RouteRequest } from '@switchboard/router';
import type { VerifiedKey } from '../auth/key-verifier';

/**
 * The alias maps a verified key carries: LiteLLM's key `aliases` and its team's `model_aliases`
 * (stored by the auth service, issue 19). Read defensively: an identity from an auth service that
 * does not send them yet simply has none.
 */
type IdentityAliases = KeyIdentity & { keyAliases?: unknown; teamModelAliases?: unknown };

function aliasOf(map: unknown, name: string): string | undefined {
  if (!map || typeof map !== 'object' || !Object.hasOwn(map, name)) return undefined;
  const target = (map as Record<string, unknown>)[name];
  return typeof target === 'string' && target !== '' ? target : undefined;
}

/** Where one requested name goes: the key's aliases, then its team's, then `model_group_alias` (LiteLLM's order). */
export function resolveModelName(name: string, identity: KeyIdentity | undefined, groupAlias: (name: string) => string): string {
  const aliases = identity as IdentityAliases | undefined;
  const fromKey = aliasOf(aliases?.keyAliases, name) ?? aliasOf(aliases?.teamModelAliases, name);
  return groupAlias(fromKey ?? name);
}

/** A route whose names are resolved, and the name each resolved group was asked for (a fallback entry's own fields follow it). */
export interface ResolvedRoute {
  route: RouteRequest;
  requestedAs: (modelGroup: string) => string;
}

/**
 * Resolves the model and every request fallback to the concrete group names that access checks,
 * admission, pricing and the ledger use. A wildcard group's concrete name is the name itself.
 */
export function resolveRouteModels(route: RouteRequest, verified: VerifiedKey | undefined, groupAlias: (name: string) => string): ResolvedRoute {
  const requested = new Map<string, string>();
  const resolve = (name: string) => {
    const resolved = resolveModelName(name, verified?.identity, groupAlias);
    if (!requested.has(resolved)) requested.set(resolved, name);
    return resolved;
  };
  const modelGroup = resolve(route.modelGroup);
  const fallbacks = route.fallbacks?.map(resolve);
  return {
    route: { ...route, modelGroup, ...(fallbacks ? { fallbacks } : {}) },
    requestedAs: (group) => requested.get(group) ?? group,
  };
}
