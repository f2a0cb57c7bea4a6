import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { SwitchboardConfig } from '@switchboard/config';
import { AdmissionGate, BudgetSeedError } from '@switchboard/limits';
import type { AdmissionResult, Admitted, Budget, RateLimit } from '@switchboard/limits';
import { PricingService, usdToNumber } from '@switchboard/pricing';
import { SwitchboardError, quoteInput } from '@switchboard/spec';
import type { Usage } from '@switchboard/spec';
import type { VerifiedKey } from '../auth/key-verifier';
import type { SideUsage } from '../lifecycle/call-plan';
import { GATEWAY_SETTINGS, REDIS, SWITCHBOARD_CONFIG } from '../bootstrap/tokens';
import type { GatewaySettings } from '../gateway-settings.schema';
import { CustomerVerifier } from '../auth/customer-verifier';
import { BudgetAlertPublisher } from './budget-alert.publisher';
import { budgetCommitted, budgetExceeded } from './budget-refusal';
import { budgetsFor, describeScope, globalBudget, rateLimitsFor } from './identity-limits';
import type { AppliedBudget, CustomerLimits } from './identity-limits';
import { LedgerSpendClient } from './ledger-spend.client';
import { LocalWindowLimiter } from './local-window-limiter';

/** Output tokens assumed when a request sets no `max_tokens`, for the reservation. */
const defaultOutputEstimate = 4_096;
const picoPerNano = 1_000n;

/** What admission took for one request, given back when it ends. */
export interface Admission {
  /** Absent when nothing limits the request, or Redis was unreachable and only the local request window applied. */
  admitted?: Admitted;
  /** `x-ratelimit-*` response headers, when the key has rate limits. */
  headers: Record<string, string>;
}

const unlimited: Admission = { headers: {} };

/** Who makes the request: the verified key (absent on the SDK path) and the customer (`user` / `x-litellm-customer-id`). */
export interface Requester {
  verified?: VerifiedKey;
  customerId?: string;
}

/**
 * Admission before the upstream call, for every budget and limit that applies to the request:
 * - `max_parallel_requests` slots, `tpm_limit` and `rpm_limit` windows of the key, its team and its
 *   user (and the key's per-model limits), exact across gateway instances;
 * - the request's maximum cost reserved against the key, per-model, team, user, customer and global
 *   budgets, then settled with the real cost;
 * all checked and taken in one Redis round trip, and given back in one (`AdmissionGate`). A spent
 *   budget is LiteLLM's 400 `budget_exceeded`; a budget whose rest is reserved by requests in flight
 *   is a 429 to retry; a period whose counter is missing is first seeded from the ledger (the budget
 *   service), and refused with 503 if the ledger cannot say (docs/ARCHITECTURE.md D16).
 * Redis down: budgets refuse with 503 (never let through unaccounted); request-rate limits fall
 * back to a per-instance window of `limit / GATEWAY_INSTANCES`; token and parallel limits are
 * skipped until Redis is back (every Redis call is bounded by REDIS_COMMAND_TIMEOUT_MS).
 */
@Injectable()
export class AdmissionService {
  private readonly gate: AdmissionGate;
  private readonly localRequests = new LocalWindowLimiter();
  private readonly globalBudget: AppliedBudget | undefined;
  /** `litellm_settings.max_end_user_budget`. */
  private readonly maxEndUserBudget: number | undefined;
  /** What each budget of a request in admission is, for the ledger when its counter must be seeded. */
  private readonly applied = new WeakMap<Budget, AppliedBudget>();

  constructor(
    @Inject(REDIS) redis: Redis,
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
    @Inject(SWITCHBOARD_CONFIG) config: SwitchboardConfig,
    @Inject(CustomerVerifier) private readonly customers: CustomerVerifier,
    @Inject(BudgetAlertPublisher) private readonly alerts: BudgetAlertPublisher,
    @Inject(LedgerSpendClient) ledger: LedgerSpendClient,
    @Inject(PricingService) private readonly pricing: PricingService,
  ) {
    this.gate = new AdmissionGate(redis, settings.REDIS_KEY_PREFIX, (budget, period, excluded) => {
      const applied = this.applied.get(budget);
      if (!applied) throw new BudgetSeedError(`No ledger scope for budget ${budget.scope}`);
      return ledger.spentInPeriod(applied, period, excluded);
    });
    this.globalBudget = globalBudget(config.litellmSettings.max_budget, config.litellmSettings.budget_duration);
    const endUserBudget = config.litellmSettings.max_end_user_budget;
    this.maxEndUserBudget = typeof endUserBudget === 'number' ? endUserBudget : undefined;
  }

  /**
   * Admits the request or throws `budget_exceeded` (400), `rate_limited` (429), `permission_denied`
   * (403, a blocked customer) or `upstream_unavailable` (503).
   */
  async admit(requestId: string, modelGroup: string, promptTokens: number, maxTokens: number | undefined, who: Requester = {}): Promise<Admission> {
    if (this.pricing.unpriced.kind === 'refuse') this.refuseUnpriced(modelGroup);
    const identity = who.verified?.identity;
    const customer = who.customerId ? await this.customerLimits(who.customerId) : undefined;
    const limits = rateLimitsFor(identity, modelGroup, customer);
    const budgets = [...budgetsFor(identity, modelGroup, customer), ...(this.globalBudget ? [this.globalBudget] : [])];
    if (budgets.length === 0 && limits.requests.length === 0 && limits.tokens.length === 0 && limits.parallel.length === 0) return unlimited;
    const closed = limits.parallel.find((limit) => limit.limit === 0);
    // `max_parallel_requests: 0` refuses everything, Redis or not.
    if (closed) throw new SwitchboardError('rate_limited', `Max parallel request limit reached for this ${describeScope(closed.scope)} (max_parallel_requests: 0)`, { retryable: false });
    for (const applied of budgets) this.applied.set(applied.budget, applied);
    let result: AdmissionResult;
    try {
      result = await this.gate.admit({
        id: requestId,
        parallel: limits.parallel,
        tokens: limits.tokens,
        requests: limits.requests,
        budgets: budgets.map((applied) => applied.budget),
        amountNanoUsd: budgets.length ? this.maxCostNano(modelGroup, promptTokens, maxTokens ?? defaultOutputEstimate) : 0,
      });
    } catch (error) {
      if (error instanceof BudgetSeedError) {
        throw new SwitchboardError('upstream_unavailable', "Budget checks are unavailable right now: this budget period's spend could not be read from the ledger", { retryAfterSeconds: 1 });
      }
      if (budgets.length) throw new SwitchboardError('upstream_unavailable', 'Budget checks are unavailable right now', { retryAfterSeconds: 1 });
      return this.admitLocally(limits.requests);
    }
    return this.admitted(result, budgets, limits.requests);
  }

  /** The gate's answer as an admission with its `x-ratelimit-*` headers, or the refusal it names. */
  private admitted(result: AdmissionResult, budgets: readonly AppliedBudget[], requests: readonly RateLimit[]): Admission {
    switch (result.outcome) {
      case 'admitted': {
        const headers: Record<string, string> = {};
        if (result.tokens.length) {
          headers['x-ratelimit-limit-tokens'] = String(Math.min(...result.tokens.map((limit) => limit.limit)));
          headers['x-ratelimit-remaining-tokens'] = String(Math.max(0, result.tokensRemaining));
        }
        if (requests.length) {
          headers['x-ratelimit-limit-requests'] = String(Math.min(...requests.map((limit) => limit.limit)));
          headers['x-ratelimit-remaining-requests'] = String(Math.max(0, result.requestsRemaining));
        }
        return { admitted: result, headers };
      }
      case 'parallel':
        throw new SwitchboardError('rate_limited', `Max parallel request limit reached for this ${describeScope(result.limit.scope)} (max_parallel_requests: ${result.limit.limit})`, { retryAfterSeconds: 1 });
      case 'tokens':
        throw new SwitchboardError('rate_limited', `Rate limit reached for this ${describeScope(result.limit.scope)}: tpm_limit ${result.limit.limit} tokens per minute`, {
          retryAfterSeconds: Math.ceil(result.retryAfterMs / 1000),
        });
      case 'requests':
        throw rpmLimited(result.limit, result.retryAfterMs);
      case 'exceeded':
        throw budgetExceeded(budgets[result.index], result.spentNanoUsd);
      case 'committed':
        throw budgetCommitted(budgets[result.index], result.spentNanoUsd, result.reservedNanoUsd);
    }
  }

  /** Redis unreachable and no budget applies: the request windows of this instance only. */
  private admitLocally(requests: readonly RateLimit[]): Admission {
    if (requests.length === 0) return unlimited;
    const result = this.localRequests.consume(requests, this.settings.GATEWAY_INSTANCES);
    if (!result.allowed) throw rpmLimited(result.limit, result.retryAfterMs);
    return {
      headers: { 'x-ratelimit-limit-requests': String(Math.min(...requests.map((limit) => limit.limit))), 'x-ratelimit-remaining-requests': String(Math.max(0, result.remaining)) },
    };
  }

  /** Replaces the reservation with what the request really cost (0 for a failure), records its tokens, frees its slot: one Redis round trip. */
  async settle(admission: Admission, modelGroup: string, deploymentId: string | undefined, usage: Usage | undefined, keyAlias?: string, sideUsage: readonly SideUsage[] = []): Promise<void> {
    const admitted = admission.admitted;
    if (!admitted) return;
    const tokens = usage ? usage.inputTokens.total + usage.outputTokens.total : 0;
    // Calls a hook made for the request (the semantic cache's embedding) are the request's cost too.
    const sideCost = sideUsage.reduce((sum, side) => sum + this.actualCostNano(side.modelGroup, side.deploymentId, side.usage), 0);
    const actualNanoUsd = admitted.budgets.length ? this.actualCostNano(modelGroup, deploymentId, usage) + sideCost : 0;
    try {
      const settled = await this.gate.settle(admitted, tokens, actualNanoUsd);
      if (actualNanoUsd <= 0 || !admitted.budgets.some((budget) => budget.softLimitNanoUsd !== undefined)) return;
      const crossed = await this.gate.claimSoftAlerts(admitted, settled);
      if (crossed.length) this.alerts.publish(crossed, keyAlias);
    } catch {
      // Redis unreachable: the slot lapses after its lease and the reservation after its ttl; the ledger has the cost.
    }
  }

  /** `unpriced_model_policy: refuse`: a model group none of whose deployments has a price is not served. */
  private refuseUnpriced(modelGroup: string): void {
    if (!this.pricing.hasGroup(modelGroup) || this.pricing.groupHasPrice(modelGroup)) return;
    throw new SwitchboardError('invalid_request', `The model '${quoteInput(modelGroup)}' has no price and unpriced_model_policy is "refuse"; add input_cost_per_token / output_cost_per_token to its deployment`, {
      param: 'model',
      providerCode: 'model_price_missing',
    });
  }

  /** The customer's limits; one without a budget of its own gets `litellm_settings.max_end_user_budget` (LiteLLM's). */
  private async customerLimits(customerId: string): Promise<CustomerLimits | undefined> {
    const status = await this.customers.status(customerId);
    const fallbackBudget = this.maxEndUserBudget;
    if (!status.found) return fallbackBudget === undefined ? undefined : { id: customerId, limits: { max_budget: fallbackBudget } };
    if (status.blocked) {
      throw new SwitchboardError('permission_denied', `The customer (end user) ${quoteInput(customerId, 64)} is blocked. Unblock it with /customer/unblock.`, { param: 'user' });
    }
    const own = status.limits?.max_budget;
    if (fallbackBudget !== undefined && (own === undefined || own === null)) return { id: customerId, limits: { ...status.limits, max_budget: fallbackBudget } };
    return { id: customerId, limits: status.limits };
  }

  /** What a finished request cost in USD (`x-litellm-response-cost`); undefined when its model has no price. */
  responseCostUsd(modelGroup: string, deploymentId: string | undefined, usage: Usage): number | undefined {
    const charge = this.pricing.charge({ modelGroup, deploymentId }, usage);
    return charge.price ? usdToNumber(charge.cost) : undefined;
  }

  /** The real cost in nano-dollars, rounded up (a budget never counts less than the ledger records). */
  private actualCostNano(modelGroup: string, deploymentId: string | undefined, usage: Usage | undefined): number {
    if (!usage) return 0;
    return nanoUsdCeil(this.pricing.charge({ modelGroup, deploymentId }, usage).cost);
  }

  private maxCostNano(modelGroup: string, promptTokens: number, outputTokens: number): number {
    return nanoUsdCeil(this.pricing.maxCost(modelGroup, promptTokens, outputTokens));
  }
}

function nanoUsdCeil(pico: bigint): number {
  return Number((pico + picoPerNano - 1n) / picoPerNano);
}

function rpmLimited(limit: RateLimit, retryAfterMs: number): SwitchboardError {
  return new SwitchboardError('rate_limited', `Rate limit reached for this ${describeScope(limit.scope)}: rpm_limit ${limit.limit} requests per minute`, {
    retryAfterSeconds: Math.ceil(retryAfterMs / 1000),
  });
}
