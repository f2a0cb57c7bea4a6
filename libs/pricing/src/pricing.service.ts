import { createHash } from 'node:crypto';
import type { ModelDeployment, SwitchboardConfig } from '@switchboard/config';
import type { Usage } from '@switchboard/spec';
import { computeCost } from './compute-cost';
import type { LiteLlmPriceEntry, ModelPrice } from './model-price';
import { PriceBook } from './price-book';
import type { UnpricedPolicy } from './price-book';
import { loadPriceOverrides } from './price-overrides';
import type { PricingSettings } from './pricing-settings';
import { unpricedPolicyFrom } from './unpriced-policy';

/** What a priced call names: the deployment that answered, else its provider and upstream model, else its model group. */
export interface PricedCall {
  modelGroup: string;
  deploymentId?: string;
  provider?: string;
  /** With or without the `<provider>/` prefix. */
  upstreamModel?: string;
}

/** The price a call is billed at. */
export interface BilledPrice {
  /** The price found (deployment, override, catalogue, free), else the unpriced default; undefined: billed 0. */
  price?: ModelPrice;
  /** False when no price was found for the call (its ledger row is flagged `price_missing`). */
  found: boolean;
}

/** What a call cost, in pico-dollars, and where its price came from. */
export interface Charge extends BilledPrice {
  cost: bigint;
  /** `deployment`, `override`, `catalogue`, `free`, `default` or `missing`. */
  priceSource: string;
}

export interface PricingServiceOptions {
  /**
   * The deployments calls are priced by: the config's and those stored in the database. Read on each
   * lookup and indexed again only when the list changes (a new array), so callers just swap it.
   */
  deployments: () => readonly ModelDeployment[];
  /**
   * The deployments serving a model name as the router resolves it (aliases, wildcard groups made
   * concrete, `*` replaced in `litellm_params.model`): the gateway passes its router's, so a request
   * through a wildcard is reserved and priced as the concrete model. Absent: exact group names only.
   */
  resolve?: (modelGroup: string) => readonly ModelDeployment[];
  overrides?: PricingOverrides;
  unpriced?: UnpricedPolicy;
}

export interface PricingOverrides {
  entries: Readonly<Record<string, LiteLlmPriceEntry>>;
  unbilledFields?: readonly string[];
}

const noPrice = null;

/**
 * The one price book of Switchboard (docs/ARCHITECTURE.md D16): every service that puts a price on a
 * call (the gateway's budget reservation, settlement and `x-litellm-response-cost`; the budget
 * service's ledger and `/spend/calculate`) builds it with `PricingService.fromSettings` from the same
 * config and `PRICE_OVERRIDES_FILE`, over the same deployments (config and stored), so they agree to
 * the pico-dollar. Prices, most specific first: the deployment's own (`litellm_params` /
 * `model_info`), the overrides file, the bundled catalogue; none found: `unpriced_model_policy`.
 */
export class PricingService {
  readonly unpriced: UnpricedPolicy;
  /** `<model>.<field>` cost fields of the overrides file that are not billed by (for a boot warning). */
  readonly unbilledOverrideFields: readonly string[];
  /**
   * A short hash of the override prices (`none` without a file), logged at boot by every service that prices, so
   * operators can see at a glance that the gateway and the budget service were given the same file.
   */
  readonly overridesFingerprint: string;
  private readonly book: PriceBook;
  private indexed: readonly ModelDeployment[] | undefined;
  private byId = new Map<string, ModelDeployment>();
  private byGroup = new Map<string, ModelDeployment[]>();
  /** Parsed prices per deployment object (a replaced deployment is a new object, so never stale). */
  private readonly prices = new WeakMap<ModelDeployment, ModelPrice | typeof noPrice>();

  constructor(private readonly options: PricingServiceOptions) {
    this.book = new PriceBook(options.overrides?.entries ?? {});
    this.unpriced = options.unpriced ?? { kind: 'flag' };
    this.unbilledOverrideFields = options.overrides?.unbilledFields ?? [];
    this.overridesFingerprint = options.overrides ? fingerprintOf(options.overrides.entries) : 'none';
  }

  /** The price book of a service: its config (deployments, `unpriced_model_policy`), its `PRICE_OVERRIDES_FILE`. */
  static fromSettings(
    config: SwitchboardConfig,
    settings: PricingSettings,
    deployments: () => readonly ModelDeployment[] = () => config.modelList,
    resolve?: (modelGroup: string) => readonly ModelDeployment[],
  ): PricingService {
    return new PricingService({
      deployments,
      resolve,
      overrides: settings.PRICE_OVERRIDES_FILE ? loadPriceOverrides(settings.PRICE_OVERRIDES_FILE) : undefined,
      unpriced: unpricedPolicyFrom(config),
    });
  }

  /** The catalogue's (and overrides') models of a provider, without the prefix: what a `provider/*` wildcard reaches. */
  knownModels(provider: string): string[] {
    return this.book.knownModels(provider);
  }

  /** Whether a deployment of this id is known (the config's or a stored one). */
  knows(deploymentId: string): boolean {
    return this.deployments().has(deploymentId);
  }

  /** A deployment's own price (deployment, override, catalogue or free); undefined when it has none. */
  priceOf(deployment: ModelDeployment): ModelPrice | undefined {
    const cached = this.prices.get(deployment);
    if (cached !== undefined) return cached ?? undefined;
    const model = String(deployment.params.model);
    const price = this.book.priceFor({ provider: deployment.provider, upstreamModel: withoutProvider(model), params: deployment.params, info: deployment.info });
    this.prices.set(deployment, price ?? noPrice);
    return price;
  }

  /** Whether any deployment of the group has a price of its own (for `unpriced_model_policy: refuse`). */
  groupHasPrice(modelGroup: string): boolean {
    return this.groupDeployments(modelGroup).some((deployment) => this.priceOf(deployment) !== undefined);
  }

  /** Whether the group exists among the known deployments. */
  hasGroup(modelGroup: string): boolean {
    return this.groupDeployments(modelGroup).length > 0;
  }

  /** The price a call is billed at: found, else the unpriced default, else none (0). */
  billedPrice(call: PricedCall): BilledPrice {
    const found = this.foundPrice(call);
    if (found) return { price: found, found: true };
    return { price: this.unpriced.kind === 'default' ? this.unpriced.price : undefined, found: false };
  }

  /** The exact cost of a call's usage, in pico-dollars. */
  charge(call: PricedCall, usage: Usage): Charge {
    const billed = this.billedPrice(call);
    return { ...billed, cost: billed.price ? computeCost(usage, billed.price).total : 0n, priceSource: billed.price?.source ?? 'missing' };
  }

  /**
   * The most a request to the group can cost (for the budget reservation): the dearest deployment
   * at its billed price, the prompt uncached and every output token as text.
   */
  maxCost(modelGroup: string, promptTokens: number, outputTokens: number): bigint {
    const usage: Usage = { inputTokens: { total: promptTokens, noCache: promptTokens, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: outputTokens, text: outputTokens, reasoning: 0 } };
    let highest = 0n;
    for (const deployment of this.groupDeployments(modelGroup)) {
      const price = this.priceOf(deployment) ?? (this.unpriced.kind === 'default' ? this.unpriced.price : undefined);
      if (!price) continue;
      const cost = computeCost(usage, price).total;
      if (cost > highest) highest = cost;
    }
    return highest;
  }

  private foundPrice(call: PricedCall): ModelPrice | undefined {
    // The deployment as it served this group: a wildcard deployment made concrete for the name.
    const served = call.deploymentId === undefined ? undefined : this.options.resolve?.(call.modelGroup).find((candidate) => candidate.id === call.deploymentId);
    if (served) return this.priceOf(served);
    const deployment = call.deploymentId === undefined ? undefined : this.deployments().get(call.deploymentId);
    // A wildcard deployment (`openai/*`) answered for the concrete model the call names: priced as that model.
    if (deployment && String(deployment.params.model).includes('*') && call.upstreamModel) {
      return this.book.priceFor({ provider: call.provider ?? deployment.provider, upstreamModel: withoutProvider(call.upstreamModel), params: deployment.params, info: deployment.info });
    }
    if (deployment) return this.priceOf(deployment);
    if (call.provider && call.upstreamModel) {
      return this.book.priceFor({ provider: call.provider, upstreamModel: withoutProvider(call.upstreamModel), params: {}, info: {} });
    }
    const first = this.groupDeployments(call.modelGroup)[0];
    return first ? this.priceOf(first) : undefined;
  }

  private groupDeployments(modelGroup: string): readonly ModelDeployment[] {
    if (this.options.resolve) return this.options.resolve(modelGroup);
    this.deployments();
    return this.byGroup.get(modelGroup) ?? [];
  }

  private deployments(): Map<string, ModelDeployment> {
    const current = this.options.deployments();
    if (current !== this.indexed) {
      this.indexed = current;
      this.byId = new Map(current.map((deployment) => [deployment.id, deployment]));
      this.byGroup = new Map();
      for (const deployment of current) {
        const group = this.byGroup.get(deployment.modelName) ?? [];
        group.push(deployment);
        this.byGroup.set(deployment.modelName, group);
      }
    }
    return this.byId;
  }
}

function fingerprintOf(entries: Readonly<Record<string, LiteLlmPriceEntry>>): string {
  const canonical = Object.keys(entries)
    .sort()
    .map((model) => [model, Object.entries(entries[model]).sort(([a], [b]) => a.localeCompare(b))]);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, 12);
}

function withoutProvider(model: string): string {
  const slash = model.indexOf('/');
  return slash > 0 ? model.slice(slash + 1) : model;
}
