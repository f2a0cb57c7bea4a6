import type { ModelDeployment } from '@switchboard/config';
import type { RoutingStrategy } from './router-settings';

/** Per-deployment live figures this instance keeps for the strategies. */
export class DeploymentStats {
  private readonly inFlight = new Map<string, number>();
  private readonly latency = new Map<string, number>();
  private readonly minuteUsage = new Map<string, { minute: number; requests: number; tokens: number }>();

  started(deploymentId: string): void {
    this.inFlight.set(deploymentId, (this.inFlight.get(deploymentId) ?? 0) + 1);
  }

  finished(deploymentId: string): void {
    this.inFlight.set(deploymentId, Math.max(0, (this.inFlight.get(deploymentId) ?? 1) - 1));
  }

  /** Exponentially weighted latency (time to first token for streams, total otherwise). */
  observeLatency(deploymentId: string, milliseconds: number): void {
    const previous = this.latency.get(deploymentId);
    this.latency.set(deploymentId, previous === undefined ? milliseconds : previous * 0.8 + milliseconds * 0.2);
  }

  observeUsage(deploymentId: string, requests: number, tokens: number, now = Date.now()): void {
    const minute = Math.floor(now / 60_000);
    const current = this.minuteUsage.get(deploymentId);
    if (!current || current.minute !== minute) this.minuteUsage.set(deploymentId, { minute, requests, tokens });
    else {
      current.requests += requests;
      current.tokens += tokens;
    }
  }

  inFlightOf(deploymentId: string): number {
    return this.inFlight.get(deploymentId) ?? 0;
  }

  latencyOf(deploymentId: string): number | undefined {
    return this.latency.get(deploymentId);
  }

  usageOf(deploymentId: string, now = Date.now()): { requests: number; tokens: number } {
    const current = this.minuteUsage.get(deploymentId);
    if (!current || current.minute !== Math.floor(now / 60_000)) return { requests: 0, tokens: 0 };
    return current;
  }
}

function numberParam(deployment: ModelDeployment, name: string): number | undefined {
  const value = deployment.params[name] ?? deployment.info[name];
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}

export function deploymentWeight(deployment: ModelDeployment): number {
  for (const name of ['weight', 'rpm', 'tpm']) {
    const value = numberParam(deployment, name);
    if (value !== undefined && value > 0) return value;
  }
  return 1;
}

function weightedPick(candidates: readonly ModelDeployment[], random: () => number): ModelDeployment {
  const total = candidates.reduce((sum, deployment) => sum + deploymentWeight(deployment), 0);
  let target = random() * total;
  for (const deployment of candidates) {
    target -= deploymentWeight(deployment);
    if (target < 0) return deployment;
  }
  return candidates[candidates.length - 1];
}

function minimumBy(candidates: readonly ModelDeployment[], score: (deployment: ModelDeployment) => number, random: () => number) {
  let best: ModelDeployment[] = [];
  let bestScore = Infinity;
  for (const deployment of candidates) {
    const value = score(deployment);
    if (value < bestScore) {
      bestScore = value;
      best = [deployment];
    } else if (value === bestScore) best.push(deployment);
  }
  return best.length > 0 ? best[Math.floor(random() * best.length)] : candidates[0];
}

/**
 * Picks one deployment among healthy candidates (already filtered for cooldown, tags and tier).
 * https://docs.litellm.ai/docs/routing (strategies of the same names)
 */
export function selectDeployment(
  strategy: RoutingStrategy,
  candidates: readonly ModelDeployment[],
  stats: DeploymentStats,
  random: () => number = Math.random,
): ModelDeployment | undefined {
  if (candidates.length === 0) return undefined;
  if (candidates.length === 1) return candidates[0];
  switch (strategy) {
    case 'simple-shuffle':
      return weightedPick(candidates, random);
    case 'least-busy':
      return minimumBy(candidates, (deployment) => stats.inFlightOf(deployment.id), random);
    case 'latency-based-routing':
      // Unmeasured deployments go first, so every deployment gets measured.
      return minimumBy(candidates, (deployment) => stats.latencyOf(deployment.id) ?? -1, random);
    case 'usage-based-routing':
    case 'usage-based-routing-v2': {
      const withHeadroom = candidates.filter((deployment) => {
        const usage = stats.usageOf(deployment.id);
        const rpm = numberParam(deployment, 'rpm');
        const tpm = numberParam(deployment, 'tpm');
        return (rpm === undefined || usage.requests < rpm) && (tpm === undefined || usage.tokens < tpm);
      });
      if (withHeadroom.length === 0) return undefined;
      return minimumBy(
        withHeadroom,
        (deployment) => {
          const usage = stats.usageOf(deployment.id);
          const tpm = numberParam(deployment, 'tpm');
          const rpm = numberParam(deployment, 'rpm');
          return Math.max(tpm ? usage.tokens / tpm : 0, rpm ? usage.requests / rpm : 0);
        },
        random,
      );
    }
    case 'cost-based-routing':
      return minimumBy(
        candidates,
        (deployment) =>
          (numberParam(deployment, 'input_cost_per_token') ?? Infinity) + (numberParam(deployment, 'output_cost_per_token') ?? 0),
        random,
      );
  }
}

export interface TagFiltering {
  /** `enable_tag_filtering` (a group's `model_info.enable_tag_filtering` wins over it). */
  enabled: boolean;
  /** `tag_filtering_match_any`. */
  matchAny: boolean;
}

function tagsOf(deployment: ModelDeployment): string[] {
  const tags = deployment.params.tags;
  return Array.isArray(tags) ? tags.map(String) : [];
}

/**
 * LiteLLM's tag-based routing (https://docs.litellm.ai/docs/proxy/tag_routing). Off (the default),
 * tags only label spend and every deployment may serve. On: a tagged request goes to the
 * deployments carrying its tags (any of them, or all with `matchAny: false`), else to those tagged
 * `default`, else nowhere (undefined: LiteLLM's "not allowed ... due to tags configuration"); an
 * untagged request goes to the `default` deployments, or to all when none is.
 */
export function filterByTags(deployments: readonly ModelDeployment[], tags: readonly string[], filtering: TagFiltering): ModelDeployment[] | undefined {
  const groupSetting = deployments.map((deployment) => deployment.info.enable_tag_filtering).find((value) => typeof value === 'boolean');
  const enabled = typeof groupSetting === 'boolean' ? groupSetting : filtering.enabled;
  if (!enabled) return [...deployments];
  const defaults = deployments.filter((deployment) => tagsOf(deployment).includes('default'));
  if (tags.length === 0) return defaults.length > 0 ? defaults : [...deployments];
  const matching = deployments.filter((deployment) => {
    const own = tagsOf(deployment);
    return filtering.matchAny ? tags.some((tag) => own.includes(tag)) : tags.every((tag) => own.includes(tag));
  });
  if (matching.length > 0) return matching;
  return defaults.length > 0 ? defaults : undefined;
}

/** A deployment's in-flight limit (`max_parallel_requests`, else the router's default); undefined: none. */
export function parallelLimitOf(deployment: ModelDeployment, fallback: number | undefined): number | undefined {
  const own = numberParam(deployment, 'max_parallel_requests');
  return own ?? fallback;
}

/** The deployments of the best `order` tier that still has candidates (lower first; no order = tier 1). */
export function lowestTier(deployments: readonly ModelDeployment[]): ModelDeployment[] {
  let best = Infinity;
  for (const deployment of deployments) best = Math.min(best, numberParam(deployment, 'order') ?? 1);
  return deployments.filter((deployment) => (numberParam(deployment, 'order') ?? 1) === best);
}
