import { Inject, Injectable } from '@nestjs/common';
import {
  busPatterns,
  calculateSpendReplySchema,
  dailySpendReplySchema,
  spendByKeyReplySchema,
  spendByModelReplySchema,
  spendByTagReplySchema,
  spendLogsReplySchema,
} from '@switchboard/contracts';
import type {
  BusPattern,
  CalculateSpendReplyV1,
  CalculateSpendRequestV1,
  DailySpendReplyV1,
  DailySpendRequestV1,
  SpendByKeyReplyV1,
  SpendByModelReplyV1,
  SpendByTagReplyV1,
  SpendByTagRequestV1,
  SpendLogsReplyV1,
  SpendLogsRequestV1,
} from '@switchboard/contracts';
import type { NatsBusClient } from '@switchboard/messaging';
import { SwitchboardError } from '@switchboard/spec';
import type { ZodType } from 'zod';
import { BUS_CLIENT, GATEWAY_SETTINGS } from '../bootstrap/tokens';
import type { GatewaySettings } from '../gateway-settings.schema';

/**
 * Asks the budget service (owner of the ledger) for spend reports over NATS, each bounded by
 * `SPEND_REPORT_TIMEOUT_MS`. Its replies are validated against the contract, so a budget service of
 * another version is a clear error, never a malformed answer to the client.
 */
@Injectable()
export class SpendReportsClient {
  constructor(
    @Inject(BUS_CLIENT) private readonly bus: NatsBusClient,
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
  ) {}

  logs(request: SpendLogsRequestV1): Promise<SpendLogsReplyV1> {
    return this.ask(busPatterns.budgetSpendLogs, request, spendLogsReplySchema);
  }

  byModel(): Promise<SpendByModelReplyV1> {
    return this.ask(busPatterns.budgetSpendByModel, { v: 1 }, spendByModelReplySchema);
  }

  byKey(): Promise<SpendByKeyReplyV1> {
    return this.ask(busPatterns.budgetSpendByKey, { v: 1 }, spendByKeyReplySchema);
  }

  daily(request: DailySpendRequestV1): Promise<DailySpendReplyV1> {
    return this.ask(busPatterns.budgetDailySpend, request, dailySpendReplySchema);
  }

  byTag(request: SpendByTagRequestV1): Promise<SpendByTagReplyV1> {
    return this.ask(busPatterns.budgetSpendByTag, request, spendByTagReplySchema);
  }

  calculate(request: CalculateSpendRequestV1): Promise<CalculateSpendReplyV1> {
    return this.ask(busPatterns.budgetCalculateSpend, request, calculateSpendReplySchema);
  }

  private async ask<T>(pattern: BusPattern, request: unknown, reply: ZodType<T>): Promise<T> {
    let answer: unknown;
    try {
      answer = await this.bus.request<unknown>(pattern, request, { timeoutMs: this.settings.SPEND_REPORT_TIMEOUT_MS, service: 'The budget service' });
    } catch (error) {
      // Nobody serves the subject: say which service is missing. Its own refusals (a bad filter, an unknown model, a
      // report over its bound) and the timeout ("did not answer within") pass through as they are.
      if (error instanceof SwitchboardError && error.code === 'no_worker') {
        throw new SwitchboardError('upstream_unavailable', 'The budget service is unavailable; spend reports need it', { retryAfterSeconds: 1 });
      }
      throw error;
    }
    const parsed = reply.safeParse(answer);
    if (!parsed.success) throw new SwitchboardError('internal', `The budget service answered ${pattern} in an unexpected shape`);
    return parsed.data;
  }
}
