import type { UsageEventV1 } from '@switchboard/contracts';
import type { LedgerEntry } from '@switchboard/data-access-spend';
import { formatUsd } from '@switchboard/pricing';
import type { PricingService } from '@switchboard/pricing';
import { redactSecretsInJson, redactSecretsInText } from '@switchboard/observability';

/**
 * Prices a usage event into a ledger entry with the one price book (PricingService, the same the
 * gateways reserve and answer `x-litellm-response-cost` with). A model without a price is never
 * silently free: the entry is flagged `price_missing` (and priced at the configured default when
 * there is one).
 */
export class UsagePricer {
  constructor(private readonly pricing: PricingService) {}

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
    if (!this.refresh || this.pricing.knows(deploymentId) || deploymentId === 'none') return;
    if (Date.now() - this.lastRefreshAt < 1_000) return;
    this.lastRefreshAt = Date.now();
    await this.refresh().catch(() => undefined);
  }

  price(event: UsageEventV1, messageId: string): LedgerEntry {
    const usage = event.usage;
    // A cache hit made no upstream call: its tokens are the stored answer's, its cost is 0.
    const cacheHit = event.cacheHit === true;
    const charge = this.pricing.charge({ modelGroup: event.modelGroup, deploymentId: event.deploymentId, provider: event.provider, upstreamModel: event.upstreamModel }, usage);
    const billable = !cacheHit && usage.inputTokens.total + usage.outputTokens.total > 0;
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
      cost: formatUsd(cacheHit ? 0n : charge.cost),
      priceSource: cacheHit ? 'cache_hit' : charge.priceSource,
      priceMissing: !charge.found && billable,
      usageEstimated: raw?.estimated === true,
      latencyMs: event.latencyMs,
      timeToFirstTokenMs: event.timeToFirstTokenMs,
      attempt: event.attempt ?? 1,
      messages: event.messages ? (redactSecretsInJson(event.messages) as unknown[]) : undefined,
      response: event.responseText === undefined ? undefined : redactSecretsInText(event.responseText),
      cacheHit: cacheHit || undefined,
      cacheKey: event.cacheKey,
    };
  }
}
