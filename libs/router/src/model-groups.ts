import type { ModelDeployment } from '@switchboard/config';

/** `router_settings.model_group_alias`: `alias: group`, or `alias: {model: group, hidden: true}`. */
export interface ModelGroupAlias {
  model: string;
  /** Hidden aliases route but are not listed by /v1/models. */
  hidden: boolean;
}

interface Pattern {
  name: string;
  matcher: RegExp;
  /** Characters of the pattern that are not `*`: the more, the more specific. */
  literal: number;
}

/** A configured model name with `*` in it is a wildcard group (`*`, `openai/*`, `my-prefix/*`). */
export function isPattern(modelName: string): boolean {
  return modelName.includes('*');
}

function compile(name: string): Pattern {
  const source = name
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('(.*)');
  return { name, matcher: new RegExp(`^${source}$`, 's'), literal: name.replace(/\*/g, '').length };
}

/**
 * The deployments a wildcard deployment becomes for a concrete name: `*` in `litellm_params.model`
 * replaced by what the name's `*` matched (LiteLLM's pattern router), same id (cooldowns, limits
 * and the ledger's deployment stay one), `modelName` the concrete name, `pattern` the configured one.
 */
export function instantiate(deployment: ModelDeployment, name: string, matched: readonly string[]): ModelDeployment {
  let index = 0;
  const model = String(deployment.params.model).replace(/\*/g, () => matched[Math.min(index++, matched.length - 1)] ?? '');
  const slash = model.indexOf('/');
  const provider = deployment.params.model === '*' ? (slash > 0 ? model.slice(0, slash) : 'openai') : deployment.provider;
  return { ...deployment, modelName: name, pattern: deployment.modelName, provider, params: { ...deployment.params, model } };
}

/**
 * Which deployments answer to a model name: an exact group always wins; else the most specific
 * wildcard group that matches (most literal characters), each of its deployments made concrete.
 * `model_group_alias` entries name another group. Compiled patterns are kept per deployment list.
 */
export class ModelGroups {
  private compiledFor: readonly ModelDeployment[] | undefined;
  private exact = new Map<string, ModelDeployment[]>();
  private patterns: Array<Pattern & { deployments: ModelDeployment[] }> = [];

  constructor(
    private readonly deployments: () => readonly ModelDeployment[],
    readonly aliases: ReadonlyMap<string, ModelGroupAlias> = new Map(),
  ) {}

  /** The group an alias names (one level, as LiteLLM), or the name itself. */
  resolveAlias(name: string): string {
    return this.aliases.get(name)?.model ?? name;
  }

  /** The deployments serving `name` (after its alias), concrete for wildcard groups; [] when none does. */
  deploymentsFor(name: string): ModelDeployment[] {
    this.refresh();
    const group = this.resolveAlias(name);
    const exact = this.exact.get(group);
    if (exact) return exact;
    for (const pattern of this.patterns) {
      const match = pattern.matcher.exec(group);
      if (match) return pattern.deployments.map((deployment) => instantiate(deployment, group, match.slice(1)));
    }
    return [];
  }

  has(name: string): boolean {
    return this.deploymentsFor(name).length > 0;
  }

  /** The configured group a name is served by (`*` for a wildcard match): a bounded label for metrics. */
  configuredGroupOf(name: string): string | undefined {
    const deployments = this.deploymentsFor(name);
    if (deployments.length === 0) return undefined;
    return deployments[0].pattern ?? deployments[0].modelName;
  }

  /** Configured names: exact groups, then wildcard groups most specific first. */
  groupNames(): { exact: string[]; patterns: string[] } {
    this.refresh();
    return { exact: [...this.exact.keys()], patterns: this.patterns.map((pattern) => pattern.name) };
  }

  private refresh(): void {
    const current = this.deployments();
    if (current === this.compiledFor) return;
    this.compiledFor = current;
    const exact = new Map<string, ModelDeployment[]>();
    const patterns = new Map<string, Pattern & { deployments: ModelDeployment[] }>();
    for (const deployment of current) {
      if (isPattern(deployment.modelName)) {
        const pattern = patterns.get(deployment.modelName) ?? { ...compile(deployment.modelName), deployments: [] };
        pattern.deployments.push(deployment);
        patterns.set(deployment.modelName, pattern);
      } else {
        const group = exact.get(deployment.modelName) ?? [];
        group.push(deployment);
        exact.set(deployment.modelName, group);
      }
    }
    this.exact = exact;
    this.patterns = [...patterns.values()].sort((a, b) => b.literal - a.literal);
  }
}

/** `model_group_alias` from the router settings, in either of LiteLLM's forms. */
export function modelGroupAliases(value: unknown): Map<string, ModelGroupAlias> {
  const aliases = new Map<string, ModelGroupAlias>();
  if (!value || typeof value !== 'object') return aliases;
  for (const [alias, target] of Object.entries(value as Record<string, unknown>)) {
    if (typeof target === 'string') aliases.set(alias, { model: target, hidden: false });
    else if (target && typeof target === 'object' && typeof (target as { model?: unknown }).model === 'string') {
      aliases.set(alias, { model: (target as { model: string }).model, hidden: (target as { hidden?: unknown }).hidden === true });
    }
  }
  return aliases;
}
