import { Inject, Injectable } from '@nestjs/common';
import { busPatterns } from '@switchboard/contracts';
import type { PeriodSpendReplyV1, PeriodSpendRequestV1 } from '@switchboard/contracts';
import type { BudgetPeriod } from '@switchboard/limits';
import { BudgetSeedError } from '@switchboard/limits';
import type { NatsBusClient } from '@switchboard/messaging';
import { BUS_CLIENT, GATEWAY_SETTINGS } from '../bootstrap/tokens';
import type { GatewaySettings } from '../gateway-settings.schema';
import type { AppliedBudget } from './identity-limits';

const decimal = /^(\d+)(?:\.(\d{1,12}))?$/;

/** An exact decimal USD amount as integer nano-dollars, rounded up (a budget never counts less than was spent). */
export function nanoUsdOf(amount: string): number {
  const match = decimal.exec(amount.trim());
  if (!match) throw new BudgetSeedError(`The ledger answered an amount that is not a decimal: ${amount.slice(0, 40)}`);
  const pico = BigInt(match[1]) * 1_000_000_000_000n + BigInt((match[2] ?? '').padEnd(12, '0'));
  return Number((pico + 999n) / 1_000n);
}

/**
 * Asks the budget service (owner of the ledger) what a budget period has recorded, when its Redis
 * counter is missing. Rare by design: a new period, a new budget, a Redis loss. Bounded by
 * `BUDGET_SEED_TIMEOUT_MS`; a failure refuses the request (503), never admits it blind.
 */
@Injectable()
export class LedgerSpendClient {
  constructor(
    @Inject(BUS_CLIENT) private readonly bus: NatsBusClient,
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
  ) {}

  async spentInPeriod(applied: AppliedBudget, period: BudgetPeriod, excludeRequestIds: readonly string[]): Promise<number> {
    const request: PeriodSpendRequestV1 = { v: 1, ...applied.ledger, from: new Date(period.startMs).toISOString(), excludeRequestIds: [...excludeRequestIds] };
    let reply: PeriodSpendReplyV1;
    try {
      reply = await this.bus.request<PeriodSpendReplyV1>(busPatterns.budgetPeriodSpend, request, { timeoutMs: this.settings.BUDGET_SEED_TIMEOUT_MS, service: 'The budget service' });
    } catch (error) {
      throw new BudgetSeedError(`The budget service could not read the ledger: ${error instanceof Error ? error.message : 'no answer'}`, { cause: error });
    }
    if (typeof reply?.spend !== 'string') throw new BudgetSeedError('The budget service answered without a spend');
    return nanoUsdOf(reply.spend);
  }
}
