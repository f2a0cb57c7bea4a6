import { Inject, Injectable } from '@nestjs/common';
import { busPatterns } from '@switchboard/contracts';
import type { CustomerStatusReply } from '@switchboard/contracts';
import type { NatsBusClient } from '@switchboard/messaging';
import { BUS_CLIENT, GATEWAY_SETTINGS, LOGGER } from '../bootstrap/tokens';
import type { GatewaySettings } from '../gateway-settings.schema';
import type { Logger } from '@switchboard/observability';

const maxEntries = 100_000;
const unknown: CustomerStatusReply = { found: false };

/**
 * Customers (the request's `user`, or `x-litellm-customer-id`): blocked or budgeted ones come
 * from the auth service, cached like keys and dropped on the `changed` broadcast. Most customer
 * ids are unknown to the auth service; those are cached too. While the auth service is
 * unreachable an uncached customer counts as unknown (no customer limits): the key, which is
 * verified, still bounds the request.
 */
@Injectable()
export class CustomerVerifier {
  private readonly entries = new Map<string, { status: CustomerStatusReply; expiresAt: number }>();
  private readonly pending = new Map<string, Promise<CustomerStatusReply>>();

  constructor(
    @Inject(BUS_CLIENT) private readonly bus: NatsBusClient,
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async status(customerId: string): Promise<CustomerStatusReply> {
    const entry = this.entries.get(customerId);
    if (entry && entry.expiresAt > Date.now()) return entry.status;
    const running = this.pending.get(customerId);
    if (running) return running;
    const lookup = this.ask(customerId).finally(() => this.pending.delete(customerId));
    this.pending.set(customerId, lookup);
    return lookup;
  }

  invalidate(customerIds: readonly string[]): void {
    for (const customerId of customerIds) this.entries.delete(customerId);
  }

  private async ask(customerId: string): Promise<CustomerStatusReply> {
    try {
      const status = await this.bus.request<CustomerStatusReply>(busPatterns.authCustomerStatus, { customer_id: customerId }, { timeoutMs: this.settings.AUTH_TIMEOUT_MS, service: 'The auth service' });
      if (typeof status.found !== 'boolean') return unknown;
      if (this.entries.size >= maxEntries) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(customerId, { status, expiresAt: Date.now() + this.settings.AUTH_CACHE_TTL_SECONDS * 1000 });
      return status;
    } catch {
      this.logger.warn('customer status unavailable (auth service unreachable); no customer limits applied');
      return unknown;
    }
  }
}
