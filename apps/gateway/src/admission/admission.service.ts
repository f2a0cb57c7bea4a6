import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { SwitchboardConfig } from '@switchboard/config';
import { BudgetReservations } from '@switchboard/limits';
import type { Budget, Reservation } from '@switchboard/limits';
import { PriceBook, computeCost } from '@switchboard/pricing';
import { SwitchboardError } from '@switchboard/spec';
import type { Usage } from '@switchboard/spec';
import { GATEWAY_SETTINGS, REDIS, SWITCHBOARD_CONFIG } from '../bootstrap/tokens';
import type { GatewaySettings } from '../gateway-settings.schema';
import { ModelRouter } from '../routing/model-router.service';
import { parseDuration } from '@switchboard/identity';

/** Output tokens assumed when a request sets no `max_tokens`, for the reservation. */
const defaultOutputEstimate = 4_096;
const picoPerNano = 1_000n;

/**
 * Budget admission before the upstream call: the request's maximum cost is reserved atomically
 * against every budget that applies (one Redis round trip), then settled with the real cost.
 * Today the global proxy budget (`litellm_settings.max_budget` / `budget_duration`); key, user,
 * team and customer budgets plug in with the identity service. Redis down: requests under a budget
 * are refused (503) rather than let through unaccounted.
 */
@Injectable()
export class AdmissionService {
  private readonly reservations: BudgetReservations;
  private readonly prices = new PriceBook();
  private readonly globalBudget: Budget | undefined;

  constructor(
    @Inject(REDIS) redis: Redis,
    @Inject(GATEWAY_SETTINGS) settings: GatewaySettings,
    @Inject(SWITCHBOARD_CONFIG) config: SwitchboardConfig,
    @Inject(ModelRouter) private readonly router: ModelRouter,
  ) {
    this.reservations = new BudgetReservations(redis, settings.REDIS_KEY_PREFIX);
    const maxBudget = config.litellmSettings.max_budget;
    if (typeof maxBudget === 'number' && maxBudget >= 0) {
      this.globalBudget = {
        scope: 'global',
        limitNanoUsd: Math.round(maxBudget * 1e9),
        periodMs: parseDuration(String(config.litellmSettings.budget_duration ?? '30d')),
      };
    }
  }

  /** Reserves the request's maximum cost; throws `budget_exceeded` (429) when a budget has no room. */
  async admit(requestId: string, modelGroup: string, promptTokens: number, maxTokens: number | undefined): Promise<Reservation | undefined> {
    const budgets = this.globalBudget ? [this.globalBudget] : [];
    if (budgets.length === 0) return undefined;
    const estimate = this.maxCostNano(modelGroup, promptTokens, maxTokens ?? defaultOutputEstimate);
    let result;
    try {
      result = await this.reservations.reserve(budgets, estimate, requestId);
    } catch {
      throw new SwitchboardError('upstream_unavailable', 'Budget checks are unavailable right now', { retryAfterSeconds: 1 });
    }
    if (!result.admitted) {
      throw new SwitchboardError('budget_exceeded', `Budget exceeded for ${result.scope}: spent ${(result.spentNanoUsd / 1e9).toFixed(6)} USD of its limit`, {
        status: 429,
        retryable: false,
      });
    }
    return result.reservation;
  }

  /** Replaces the reservation with what the request really cost (0 for a failure). */
  async settle(reservation: Reservation | undefined, modelGroup: string, deploymentId: string | undefined, usage: Usage | undefined): Promise<void> {
    if (!reservation) return;
    const deployment = this.router.allDeployments().find((candidate) => candidate.id === deploymentId) ?? this.router.allDeployments().find((candidate) => candidate.modelName === modelGroup);
    let actual = 0;
    if (deployment && usage) {
      const model = String(deployment.params.model);
      const price = this.prices.priceFor({ provider: deployment.provider, upstreamModel: model.slice(model.indexOf('/') + 1), params: deployment.params, info: deployment.info });
      if (price) actual = Number((computeCost(usage, price).total + picoPerNano - 1n) / picoPerNano);
    }
    await this.reservations.settle(reservation, actual).catch(() => undefined);
  }

  private maxCostNano(modelGroup: string, promptTokens: number, outputTokens: number): number {
    let highest = 0n;
    for (const deployment of this.router.allDeployments()) {
      if (deployment.modelName !== modelGroup) continue;
      const model = String(deployment.params.model);
      const price = this.prices.priceFor({ provider: deployment.provider, upstreamModel: model.slice(model.indexOf('/') + 1), params: deployment.params, info: deployment.info });
      if (!price) continue;
      const cost = computeCost(
        { inputTokens: { total: promptTokens, noCache: promptTokens, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: outputTokens, text: outputTokens, reasoning: 0 } },
        price,
      ).total;
      if (cost > highest) highest = cost;
    }
    return Number((highest + picoPerNano - 1n) / picoPerNano);
  }
}
