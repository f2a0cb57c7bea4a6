import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationBootstrap } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Redis } from 'ioredis';
import type { ModelDeployment, SwitchboardConfig } from '@switchboard/config';
import type { SubjectNamespace } from '@switchboard/contracts';
import { NATS_CONNECTION } from '@switchboard/messaging';
import { CooldownRegistry, Router, routerSettingsFrom, unknownModelError } from '@switchboard/router';
import type { AttemptOutcome, RouteRequest, RouteTrace, RouterSettings } from '@switchboard/router';
import { GATEWAY_SETTINGS, REDIS, SUBJECT_NAMESPACE, SWITCHBOARD_CONFIG } from '../bootstrap/tokens';
import type { GatewaySettings } from '../gateway-settings.schema';
import { RedisRouterStateStore } from './redis-router-state.store';

/**
 * The gateway's router: the shared `Router` (strategies, retries, fallbacks, cooldowns) over the
 * configured deployments, with failure counts in Redis and cooldowns broadcast on NATS.
 */
@Injectable()
export class ModelRouter implements OnApplicationBootstrap {
  readonly router: Router;
  private readonly store: RedisRouterStateStore;
  private deployments: readonly ModelDeployment[];
  /** `general_settings.enforce_fallback_model_access`: configured fallbacks obey the key's model access. */
  readonly enforceFallbackModelAccess: boolean;

  constructor(
    @Inject(SWITCHBOARD_CONFIG) config: SwitchboardConfig,
    @Inject(REDIS) redis: Redis,
    @Inject(NATS_CONNECTION) connection: NatsConnection,
    @Inject(SUBJECT_NAMESPACE) namespace: SubjectNamespace,
    @Inject(GATEWAY_SETTINGS) settings: GatewaySettings,
  ) {
    this.deployments = config.modelList;
    this.enforceFallbackModelAccess = config.generalSettings.enforce_fallback_model_access === true;
    const cooldowns = new CooldownRegistry();
    this.store = new RedisRouterStateStore(redis, settings.REDIS_KEY_PREFIX, connection, namespace, cooldowns);
    this.router = new Router({ deployments: () => this.deployments, settings: routerSettingsFrom(config), store: this.store, cooldowns });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.store.listen();
  }

  /** Replaces the routable deployments (config plus, later, those stored in the database). */
  setDeployments(deployments: readonly ModelDeployment[]): void {
    this.deployments = deployments;
  }

  allDeployments(): readonly ModelDeployment[] {
    return this.deployments;
  }

  /** The configured model names (wildcard groups as written: `*`, `openai/*`). */
  modelNames(): string[] {
    return [...new Set(this.deployments.map((deployment) => deployment.modelName))];
  }

  get settings(): RouterSettings {
    return this.router.settings;
  }

  /** The deployments serving a name: its alias resolved, a wildcard group made concrete for it. */
  deploymentsFor(modelGroup: string): ModelDeployment[] {
    return this.router.groupDeployments(modelGroup);
  }

  /** `model_group_alias` resolved (the group a name routes to), else the name. */
  resolveAlias(modelGroup: string): string {
    return this.router.groups.resolveAlias(modelGroup);
  }

  /**
   * The configured group serving a name, for metric labels: a wildcard group's own name (`*`), so
   * names clients make up through a wildcard never become labels; `unknown` when none serves it.
   */
  labelOf(modelGroup: string): string {
    return this.router.groups.configuredGroupOf(modelGroup) ?? 'unknown';
  }

  /**
   * An unknown model is refused (LiteLLM's 400) before admission, metrics and spans see it, so a
   * client's made-up model names never become metric labels or Redis keys.
   */
  assertModelExists(modelGroup: string): void {
    if (!this.router.hasGroup(modelGroup)) throw unknownModelError(modelGroup);
  }

  execute<T>(
    request: RouteRequest,
    attempt: (deployment: ModelDeployment, trace: RouteTrace) => Promise<AttemptOutcome<T>>,
    trace: RouteTrace,
  ): Promise<T> {
    return this.router.execute(request, attempt, trace);
  }
}
