import type { ModelDeployment } from '@switchboard/config';
import { SwitchboardError, quoteInput } from '@switchboard/spec';
import { allowedFailsFor, countsAsDeploymentFailure, fallbackKind, retriesFor } from './error-class';
import { CooldownRegistry, MemoryRouterStateStore } from './cooldowns';
import type { RouterStateStore } from './cooldowns';
import { DeploymentStats, filterByTags, lowestTier, parallelLimitOf, selectDeployment } from './deployment-selector';
import { ModelGroups } from './model-groups';
import { RetryBudget } from './retry-budget';
import type { RouterSettings } from './router-settings';

export type AttemptOutcome<T> =
  | { ok: true; value: T }
  | {
      ok: false;
      error: SwitchboardError;
      /** True once bytes reached the client: no retry, no fallback may follow. */
      outputStarted: boolean;
    };

export interface RouteRequest {
  modelGroup: string;
  tags?: readonly string[];
  /** Per-request `num_retries` (body or `x-litellm-num-retries`). */
  numRetries?: number;
  /** Per-request fallbacks (model group names), replacing the configured ones. */
  fallbacks?: readonly string[];
  disableFallbacks?: boolean;
  /** Estimated prompt tokens, for the context-window pre-check. */
  promptTokens?: number;
  /** LiteLLM's `mock_testing_fallbacks`: fail the first group as if it had errored. */
  mockTestingFallbacks?: boolean;
  /** Try this deployment first when it is in the group and healthy (a Responses follow-up). */
  preferDeploymentId?: string;
  /**
   * Whether the caller may be answered by this fallback group; a group it may not call is skipped
   * (the key's model access over the configured fallbacks, `enforce_fallback_model_access`).
   */
  allowFallback?: (modelGroup: string) => boolean;
}

/** What happened while routing one request: for response headers, logs and spans. */
export interface RouteTrace {
  attemptedRetries: number;
  attemptedFallbacks: number;
  modelGroup: string;
  deployment?: ModelDeployment;
}

export interface RouterOptions {
  deployments: () => readonly ModelDeployment[];
  settings: RouterSettings;
  store?: RouterStateStore;
  cooldowns?: CooldownRegistry;
  random?: () => number;
  sleep?: (milliseconds: number) => Promise<void>;
}

const defaultSleep = (milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds));

/** LiteLLM's answer to a model no deployment serves: 400, so clients see a bad request, not a missing route. */
export function unknownModelError(model: string): SwitchboardError {
  return new SwitchboardError('model_not_found', `Invalid model name passed in model=${quoteInput(model)}. Call \`/v1/models\` to view available models for your key.`, {
    param: 'model',
    status: 400,
  });
}

/** LiteLLM's refusal when tag filtering leaves no deployment (RouterErrors.no_deployments_with_tag_routing). */
function noTaggedDeployment(model: string, tags: readonly string[]): SwitchboardError {
  const list = tags.map((tag) => `'${quoteInput(tag, 40)}'`).join(', ');
  return new SwitchboardError('authentication', `Not allowed to access model due to tags configuration. Passed model=${quoteInput(model)} and tags=[${list}]`, { param: 'model' });
}

/**
 * Load balancing, retries, fallbacks and cooldowns around an attempt function, so the same
 * router serves the gateway (attempt = a command to a worker over NATS) and the in-process SDK
 * (attempt = a direct adapter call). Retries and fallbacks happen only before output starts.
 */
export class Router {
  readonly cooldowns: CooldownRegistry;
  readonly stats = new DeploymentStats();
  /** Which deployments serve a name: exact groups, `model_group_alias`, wildcard groups. */
  readonly groups: ModelGroups;
  private readonly store: RouterStateStore;
  private readonly budget: RetryBudget;
  private readonly random: () => number;
  private readonly sleep: (milliseconds: number) => Promise<void>;

  constructor(private readonly options: RouterOptions) {
    this.cooldowns = options.cooldowns ?? new CooldownRegistry();
    this.store = options.store ?? new MemoryRouterStateStore(this.cooldowns);
    this.budget = new RetryBudget(options.settings.retryBudgetRatio);
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? defaultSleep;
    this.groups = new ModelGroups(options.deployments, options.settings.modelGroupAlias);
  }

  get settings(): RouterSettings {
    return this.options.settings;
  }

  /** The deployments serving a model name (an alias resolved, a wildcard group made concrete). */
  groupDeployments(modelGroup: string): ModelDeployment[] {
    return this.groups.deploymentsFor(modelGroup);
  }

  hasGroup(modelGroup: string): boolean {
    return this.groups.has(modelGroup);
  }

  async execute<T>(
    request: RouteRequest,
    attempt: (deployment: ModelDeployment, trace: RouteTrace) => Promise<AttemptOutcome<T>>,
    trace: RouteTrace = { attemptedRetries: 0, attemptedFallbacks: 0, modelGroup: request.modelGroup },
  ): Promise<T> {
    if (!this.hasGroup(request.modelGroup)) throw unknownModelError(request.modelGroup);
    this.budget.recordRequest();
    const visited = new Set<string>();
    let group: string | undefined = this.groups.resolveAlias(request.modelGroup);
    let lastError: SwitchboardError | undefined;
    let firstGroup = true;
    while (group !== undefined) {
      visited.add(group);
      trace.modelGroup = group;
      const result: AttemptOutcome<T> = await this.tryGroup(group, request, attempt, trace, firstGroup && request.mockTestingFallbacks === true);
      if (result.ok) return result.value;
      const error: SwitchboardError = result.error;
      lastError = error;
      if (result.outputStarted) throw error;
      firstGroup = false;
      group = trace.attemptedFallbacks < this.settings.maxFallbacks ? this.nextFallback(request, error, visited) : undefined;
      if (group !== undefined) trace.attemptedFallbacks += 1;
    }
    throw lastError ?? new SwitchboardError('upstream_unavailable', 'No deployment could serve the request');
  }

  private async tryGroup<T>(
    group: string,
    request: RouteRequest,
    attempt: (deployment: ModelDeployment, trace: RouteTrace) => Promise<AttemptOutcome<T>>,
    trace: RouteTrace,
    mockFailure: boolean,
  ): Promise<AttemptOutcome<T>> {
    if (mockFailure) {
      return { ok: false, error: new SwitchboardError('upstream_error', 'mock_testing_fallbacks: simulated failure'), outputStarted: false };
    }
    const deployments = filterByTags(this.groupDeployments(group), request.tags ?? [], { enabled: this.settings.enableTagFiltering, matchAny: this.settings.tagFilteringMatchAny });
    if (!deployments) return { ok: false, error: noTaggedDeployment(group, request.tags ?? []), outputStarted: false };
    const tooSmall = this.settings.enablePreCallChecks ? this.contextWindowTooSmall(deployments, request.promptTokens) : undefined;
    if (tooSmall) return { ok: false, error: tooSmall, outputStarted: false };
    const tried = new Set<string>();
    let retriesUsed = 0;
    let previous: { deployment: ModelDeployment; error: SwitchboardError } | undefined;
    for (;;) {
      const preferred = tried.size === 0 ? deployments.find((candidate) => candidate.id === request.preferDeploymentId) : undefined;
      const deployment = preferred && !this.cooldowns.isCooling(preferred.id) && this.hasCapacity(preferred) ? preferred : this.pick(deployments, tried);
      if (!deployment) return { ok: false, error: previous?.error ?? this.unavailableError(deployments), outputStarted: false };
      if (previous) {
        // Another deployment needs no wait; the same one waits out backoff (and its retry-after).
        if (deployment.id === previous.deployment.id) await this.sleep(this.retryDelay(retriesUsed - 1, previous.error));
      }
      tried.add(deployment.id);
      trace.deployment = deployment;
      const started = Date.now();
      this.stats.started(deployment.id);
      let outcome: AttemptOutcome<T>;
      try {
        outcome = await attempt(deployment, trace);
      } finally {
        this.stats.finished(deployment.id);
      }
      if (outcome.ok) {
        this.stats.observeLatency(deployment.id, Date.now() - started);
        this.stats.observeUsage(deployment.id, 1, 0);
        return outcome;
      }
      if (outcome.outputStarted) return outcome;
      await this.recordFailure(deployment, outcome.error);
      const allowed = retriesFor(outcome.error, this.settings, request.numRetries);
      if (retriesUsed >= allowed || !this.budget.tryRetry()) return this.withCooldownHint(outcome, deployments);
      retriesUsed += 1;
      trace.attemptedRetries += 1;
      previous = { deployment, error: outcome.error };
      // Prefer an untried deployment; when all were tried, the same ones may be tried again.
      if (deployments.every((candidate) => tried.has(candidate.id))) tried.clear();
    }
  }

  /** Below its `max_parallel_requests` on this instance (LiteLLM counts per instance too). */
  private hasCapacity(deployment: ModelDeployment): boolean {
    const limit = parallelLimitOf(deployment, this.settings.defaultMaxParallelRequests);
    return limit === undefined || this.stats.inFlightOf(deployment.id) < limit;
  }

  private pick(deployments: readonly ModelDeployment[], tried: ReadonlySet<string>): ModelDeployment | undefined {
    const healthy = deployments.filter((deployment) => !this.cooldowns.isCooling(deployment.id) && this.hasCapacity(deployment));
    const untried = healthy.filter((deployment) => !tried.has(deployment.id));
    const pool = untried.length > 0 ? untried : healthy;
    if (pool.length === 0) return undefined;
    return selectDeployment(this.settings.routingStrategy, lowestTier(pool), this.stats, this.random);
  }

  private async recordFailure(deployment: ModelDeployment, error: SwitchboardError): Promise<void> {
    if (this.settings.disableCooldowns || !countsAsDeploymentFailure(error)) return;
    const retryAfterMs = (error.retryAfterSeconds ?? 0) * 1000;
    const cooldownMs = Math.max(this.settings.cooldownMs, retryAfterMs);
    try {
      // A rate limit with retry-after means the deployment cannot serve until then: rest it at once.
      if (error.code === 'rate_limited' && retryAfterMs > 0) {
        await this.store.startCooldown(deployment.id, Date.now() + cooldownMs);
        return;
      }
      const failures = await this.store.recordFailure(deployment.id, this.settings.allowedFailsWindowMs);
      if (failures >= allowedFailsFor(error, this.settings)) await this.store.startCooldown(deployment.id, Date.now() + cooldownMs);
    } catch {
      // Shared state unavailable: keep the cooldown local rather than lose it.
      this.cooldowns.apply(deployment.id, Date.now() + cooldownMs);
    }
  }

  /** Exponential backoff with full jitter, never sooner than `retry-after` or `retry_after`. */
  private retryDelay(retry: number, error: SwitchboardError): number {
    const retryAfterMs = (error.retryAfterSeconds ?? 0) * 1000;
    const backoff = Math.min(this.settings.maxRetryDelayMs, 250 * 2 ** retry) * this.random();
    return Math.max(retryAfterMs, this.settings.minRetryDelayMs, Math.round(backoff));
  }

  /** When the failed deployments are now resting, the client learns when to come back. */
  private withCooldownHint<T>(outcome: AttemptOutcome<T>, deployments: readonly ModelDeployment[]): AttemptOutcome<T> {
    if (outcome.ok || outcome.error.retryAfterSeconds !== undefined) return outcome;
    if (!deployments.every((deployment) => this.cooldowns.isCooling(deployment.id))) return outcome;
    const hint = this.allCoolingError(deployments).retryAfterSeconds;
    const error = new SwitchboardError(outcome.error.code, outcome.error.message, {
      status: outcome.error.status,
      param: outcome.error.param,
      retryable: outcome.error.isRetryable,
      providerCode: outcome.error.providerCode,
      retryAfterSeconds: hint,
    });
    return { ...outcome, error };
  }

  /** Why no deployment can take the request now: all resting after failures, or all at their parallel limit. */
  private unavailableError(deployments: readonly ModelDeployment[]): SwitchboardError {
    if (deployments.some((deployment) => !this.cooldowns.isCooling(deployment.id))) {
      return new SwitchboardError('rate_limited', 'Deployment over user-defined ratelimit: every deployment of this model is at its max_parallel_requests', { retryAfterSeconds: 1, status: 429 });
    }
    return this.allCoolingError(deployments);
  }

  private allCoolingError(deployments: readonly ModelDeployment[]): SwitchboardError {
    const remaining = deployments.map((deployment) => this.cooldowns.remainingMs(deployment.id));
    const seconds = Math.max(1, Math.ceil(Math.min(...remaining) / 1000));
    return new SwitchboardError('rate_limited', 'No deployment of this model is available right now: all are cooling down after failures', {
      retryAfterSeconds: seconds,
      status: 429,
    });
  }

  private contextWindowTooSmall(deployments: readonly ModelDeployment[], promptTokens: number | undefined): SwitchboardError | undefined {
    if (promptTokens === undefined || deployments.length === 0) return undefined;
    const limits = deployments.map((deployment) => {
      const value = deployment.info.max_input_tokens ?? deployment.params.max_input_tokens;
      return typeof value === 'number' ? value : Infinity;
    });
    if (limits.some((limit) => promptTokens <= limit)) return undefined;
    return new SwitchboardError(
      'context_length_exceeded',
      `The prompt (about ${promptTokens} tokens) is longer than this model's context window (${Math.max(...limits)} tokens)`,
      { param: 'messages' },
    );
  }

  private nextFallback(request: RouteRequest, error: SwitchboardError, visited: ReadonlySet<string>): string | undefined {
    if (request.disableFallbacks) return undefined;
    const kind = fallbackKind(error);
    if (kind === 'none') return undefined;
    const origin = request.modelGroup;
    const candidates: string[] = [];
    if (request.fallbacks) candidates.push(...request.fallbacks);
    else {
      if (kind === 'context_window') candidates.push(...(this.settings.contextWindowFallbacks.get(origin) ?? []));
      if (kind === 'content_policy') candidates.push(...(this.settings.contentPolicyFallbacks.get(origin) ?? []));
      if (kind === 'general' || candidates.length === 0) {
        candidates.push(...(this.settings.fallbacks.get(origin) ?? []));
        if (kind === 'general') candidates.push(...this.settings.defaultFallbacks);
      }
    }
    return candidates
      .map((candidate) => this.groups.resolveAlias(candidate))
      .find((candidate) => !visited.has(candidate) && this.hasGroup(candidate) && (request.allowFallback?.(candidate) ?? true));
  }
}
