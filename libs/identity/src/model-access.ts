/**
 * What a caller may call, resolved once per verified key (`undefined` means every model): the
 * model names its lists allow, and the name prefixes their wildcards (`openai/*`) allow, so a
 * concrete model reached through a wildcard group (`model_name: "*"`) is checked by its own name.
 * Iterating gives the names listed (for messages and listings).
 */
export class ModelAllowList implements Iterable<string> {
  constructor(
    /** One matcher per list (the key's, its team's, its user's): a name must pass every one. */
    private readonly lists: ReadonlyArray<{ names: ReadonlySet<string>; prefixes: readonly string[] }>,
  ) {}

  has(model: string): boolean {
    return this.lists.every((list) => list.names.has(model) || list.prefixes.some((prefix) => model.startsWith(prefix)));
  }

  *[Symbol.iterator](): Iterator<string> {
    const listed = new Set<string>();
    for (const list of this.lists) {
      for (const name of list.names) listed.add(name);
      for (const prefix of list.prefixes) listed.add(`${prefix}*`);
    }
    for (const name of listed) if (name.endsWith('*') || this.has(name)) yield name;
  }
}

export type AllowedModels = ModelAllowList | undefined;

export interface ModelCatalog {
  /** Every routable model group name (wildcard groups included, as configured: `*`, `openai/*`). */
  modelNames: readonly string[];
  /** `model_info.access_groups` of the deployments: group name to model names. */
  accessGroups: ReadonlyMap<string, readonly string[]>;
}

/** LiteLLM's special values: `all-proxy-models` is everything, `all-team-models` defers to the team. */
const everything = new Set(['*', 'all-proxy-models']);

function expand(patterns: readonly string[], catalog: ModelCatalog): { names: Set<string>; prefixes: string[] } | undefined {
  const names = new Set<string>();
  const prefixes: string[] = [];
  const add = (name: string) => {
    if (everything.has(name)) return false;
    if (name.endsWith('*')) prefixes.push(name.slice(0, -1));
    else names.add(name);
    return true;
  };
  for (const pattern of patterns) {
    if (everything.has(pattern)) return undefined;
    const group = catalog.accessGroups.get(pattern);
    // An access group grants its members; a wildcard member (a `*` deployment in the group) grants what it matches.
    if (group) for (const name of group) if (!add(name)) return undefined;
    if (pattern.endsWith('*')) add(pattern);
    else if (!group || catalog.modelNames.includes(pattern)) names.add(pattern);
  }
  return { names, prefixes };
}

/**
 * The model groups a key may call: the intersection of every non-empty list among the key's,
 * its team's and its user's (`[]` or `all-team-models` means "what the owner allows").
 */
export function resolveAllowedModels(lists: ReadonlyArray<readonly string[]>, catalog: ModelCatalog): AllowedModels {
  const matchers: Array<{ names: ReadonlySet<string>; prefixes: readonly string[] }> = [];
  for (const list of lists) {
    const patterns = list.filter((pattern) => pattern !== 'all-team-models');
    if (patterns.length === 0) continue;
    const expanded = expand(patterns, catalog);
    if (expanded) matchers.push(expanded);
  }
  return matchers.length ? new ModelAllowList(matchers) : undefined;
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
