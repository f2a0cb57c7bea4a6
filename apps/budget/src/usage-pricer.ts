import type { ModelDeployment } from '@switchboard/config';
import type { UsageEventV1 } from '@switchboard/contracts';
import type { LedgerEntry } from '@switchboard/data-access-spend';
import { computeCost, formatUsd } from '@switchboard/pricing';
import { redactSecretsInJson, redactSecretsInText } from '@switchboard/observability';
import type { PriceBook, UnpricedPolicy } from '@switchboard/pricing';

/**
 * Prices a usage event into a ledger entry. A model without a price is never silently free: the
 * entry is flagged `price_missing` (and priced at the configured default when there is one).
 */
export class UsagePricer {
  private deployments: Map<string, ModelDeployment>;
  private readonly configured: readonly ModelDeployment[];

  constructor(
    private readonly prices: PriceBook,
    deployments: readonly ModelDeployment[],
    private readonly unpriced: UnpricedPolicy = { kind: 'flag' },
  ) {
    this.configured = deployments;
    this.deployments = new Map(deployments.map((deployment) => [deployment.id, deployment]));
  }

  private refresh: (() => Promise<void>) | undefined;
  private lastRefreshAt = 0;

  /** How to reload the stored deployments when an event names one this pricer has not seen yet. */
  refreshWith(refresh: () => Promise<void>): void {
    this.refresh = refresh;
  }

  /**
   * A deployment added with `/model/new` can serve a request before this service's copy of the
   * list is updated (both hear the same broadcast): reload once before pricing its event, at most
   * once a second, so an event is never priced without the deployment's own prices by a race.
   */
  async ensureKnown(deploymentId: string): Promise<void> {
    if (!this.refresh || this.deployments.has(deploymentId) || deploymentId === 'none') return;
    if (Date.now() - this.lastRefreshAt < 1_000) return;
    this.lastRefreshAt = Date.now();
    await this.refresh().catch(() => undefined);
  }

  /** Adds the deployments stored in the database (`/model/new`), so their own prices apply too. */
  setStoredDeployments(stored: readonly ModelDeployment[]): void {
    this.deployments = new Map([...this.configured, ...stored].map((deployment) => [deployment.id, deployment]));
  }

  price(event: UsageEventV1, messageId: string): LedgerEntry {
    const configured = this.deployments.get(event.deploymentId);
    // A wildcard deployment (`openai/*`) served the concrete model the event names: priced as that model.
    const deployment = configured && String(configured.params.model).includes('*') ? { ...configured, params: { ...configured.params, model: `${event.provider}/${event.upstreamModel}` } } : configured;
    const slash = event.upstreamModel.indexOf('/');
    const upstreamModel = deployment ? String(deployment.params.model).slice(String(deployment.params.model).indexOf('/') + 1) : slash > 0 ? event.upstreamModel.slice(slash + 1) : event.upstreamModel;
    const found = this.prices.priceFor({
      provider: event.provider,
      upstreamModel,
      params: deployment?.params ?? {},
      info: deployment?.info ?? {},
    });
    const price = found ?? (this.unpriced.kind === 'default' ? this.unpriced.price : undefined);
    const usage = event.usage;
    const billable = usage.inputTokens.total + usage.outputTokens.total > 0;
    const cost = price ? computeCost(usage, price).total : 0n;
    const raw = usage.raw as { estimated?: boolean } | undefined;
    return {
      messageId,
      requestId: event.requestId,
      responseId: event.responseId,
      occurredAt: event.occurredAt,
      callType: event.callType,
      status: event.status,
      errorCode: event.errorCode,
      keyHash: event.caller?.keyHash,
      keyId: event.caller?.keyId ?? event.caller?.keyHash,
      keyAlias: event.caller?.keyAlias,
      userId: event.caller?.userId,
      teamId: event.caller?.teamId,
      organizationId: event.caller?.organizationId,
      customerId: event.caller?.customerId,
      tags: event.caller?.tags ?? [],
      modelGroup: event.modelGroup,
      deploymentId: event.deploymentId,
      provider: event.provider,
      upstreamModel: event.upstreamModel,
      promptTokens: usage.inputTokens.total,
      completionTokens: usage.outputTokens.total,
      cacheReadTokens: usage.inputTokens.cacheRead,
      cacheWriteTokens: usage.inputTokens.cacheWrite,
      reasoningTokens: usage.outputTokens.reasoning,
      cost: formatUsd(cost),
      priceSource: price?.source ?? 'missing',
      priceMissing: !found && billable,
      usageEstimated: raw?.estimated === true,
      latencyMs: event.latencyMs,
      timeToFirstTokenMs: event.timeToFirstTokenMs,
      attempt: event.attempt ?? 1,
      messages: event.messages ? (redactSecretsInJson(event.messages) as unknown[]) : undefined,
      response: event.responseText === undefined ? undefined : redactSecretsInText(event.responseText),
    };
  }
}
