/** What a caller may call, resolved once per verified key: `undefined` means every model. */
export type AllowedModels = ReadonlySet<string> | undefined;

export interface ModelCatalog {
  /** Every routable model group name. */
  modelNames: readonly string[];
  /** `model_info.access_groups` of the deployments: group name to model names. */
  accessGroups: ReadonlyMap<string, readonly string[]>;
}

/** LiteLLM's special values: `all-proxy-models` is everything, `all-team-models` defers to the team. */
const everything = new Set(['*', 'all-proxy-models']);

function expand(patterns: readonly string[], catalog: ModelCatalog): Set<string> | undefined {
  const allowed = new Set<string>();
  for (const pattern of patterns) {
    if (everything.has(pattern)) return undefined;
    const group = catalog.accessGroups.get(pattern);
    if (group) for (const name of group) allowed.add(name);
    if (pattern.endsWith('*')) {
      const prefix = pattern.slice(0, -1);
      for (const name of catalog.modelNames) if (name.startsWith(prefix)) allowed.add(name);
    } else if (!group || catalog.modelNames.includes(pattern)) {
      allowed.add(pattern);
    }
  }
  return allowed;
}

/**
 * The model groups a key may call: the intersection of every non-empty list among the key's,
 * its team's and its user's (`[]` or `all-team-models` means "what the owner allows").
 */
export function resolveAllowedModels(lists: ReadonlyArray<readonly string[]>, catalog: ModelCatalog): AllowedModels {
  let allowed: Set<string> | undefined;
  for (const list of lists) {
    const patterns = list.filter((pattern) => pattern !== 'all-team-models');
    if (patterns.length === 0) continue;
    const expanded = expand(patterns, catalog);
    if (!expanded) continue;
    allowed = allowed ? new Set([...allowed].filter((name) => expanded.has(name))) : expanded;
  }
  return allowed;
}

/** Access groups named by the deployments of a config (`model_info.access_groups`). */
export function accessGroupsOf(deployments: ReadonlyArray<{ modelName: string; info?: Record<string, unknown> }>): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const deployment of deployments) {
    const names = deployment.info?.access_groups;
    if (!Array.isArray(names)) continue;
    for (const name of names) {
      if (typeof name !== 'string') continue;
      const members = groups.get(name) ?? [];
      if (!members.includes(deployment.modelName)) members.push(deployment.modelName);
      groups.set(name, members);
    }
  }
  return groups;
}
