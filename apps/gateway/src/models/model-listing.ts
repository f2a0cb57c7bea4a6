import type { ModelDeployment } from '@switchboard/config';
import type { ModelAllowList } from '@switchboard/identity';
import { isPattern } from '@switchboard/router';
import type { ModelRouter } from '../routing/model-router.service';

/** The price catalogue's models of a provider (what a `provider/*` wildcard reaches). */
export interface KnownModels {
  knownModels(provider: string): string[];
}

export interface ListedModel {
  id: string;
  ownedBy: string;
}

export interface ListingOptions {
  allowed?: ModelAllowList;
  /** `return_wildcard_routes`: list wildcard groups as configured (`openai/*`) too. */
  wildcardRoutes: boolean;
}

/**
 * The names a key can call, as LiteLLM's `/v1/models` lists them: every exact group, every alias
 * not `hidden`, and for each wildcard group the provider's models known to the price catalogue
 * (`*` with `openai/*` lists `gpt-4o`, `gpt-4o-mini`, ...). Each is checked by the key's access.
 */
export function listModels(router: ModelRouter, prices: KnownModels, options: ListingOptions): ListedModel[] {
  const listed = new Map<string, ListedModel>();
  const allowed = (name: string, alsoAs?: string) => !options.allowed || options.allowed.has(name) || (alsoAs !== undefined && options.allowed.has(alsoAs));
  const add = (id: string, ownedBy: string, alsoAs?: string) => {
    if (!listed.has(id) && allowed(id, alsoAs)) listed.set(id, { id, ownedBy });
  };
  for (const deployment of router.allDeployments()) {
    if (!isPattern(deployment.modelName)) {
      add(deployment.modelName, deployment.provider);
      continue;
    }
    if (options.wildcardRoutes) add(deployment.modelName, deployment.provider);
    for (const name of wildcardNames(deployment, prices)) add(name, deployment.provider);
  }
  for (const [alias, target] of router.settings.modelGroupAlias) {
    const served = router.deploymentsFor(target.model);
    if (!target.hidden && served.length > 0) add(alias, served[0].provider, target.model);
  }
  return [...listed.values()];
}

/** The concrete names a wildcard deployment reaches among the catalogue's models of its provider. */
export function wildcardNames(deployment: ModelDeployment, prices: KnownModels): string[] {
  const model = String(deployment.params.model);
  const star = model.indexOf('*');
  if (star < 0 || model.indexOf('*', star + 1) >= 0 || deployment.modelName.split('*').length !== 2) return [];
  const prefix = model.slice(0, star);
  const suffix = model.slice(star + 1);
  const provider = deployment.params.model === '*' ? undefined : deployment.provider;
  if (!provider) return [];
  const names: string[] = [];
  for (const known of prices.knownModels(provider)) {
    const upstream = `${provider}/${known}`;
    if (!upstream.startsWith(prefix) || !upstream.endsWith(suffix)) continue;
    const matched = upstream.slice(prefix.length, upstream.length - suffix.length);
    names.push(deployment.modelName.replace('*', matched));
  }
  return names;
}
