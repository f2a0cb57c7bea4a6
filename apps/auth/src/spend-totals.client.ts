import { busPatterns, spendTotalsReplySchema } from '@switchboard/contracts';
import type { SpendTotalsEntity } from '@switchboard/contracts';
import type { NatsBusClient } from '@switchboard/messaging';

/** How often an unreachable budget service is reported, at most. */
const warnEveryMs = 60_000;

/**
 * The recorded spend of keys, users, teams, organizations and customers, asked of the budget
 * service (owner of the spend totals, docs/ARCHITECTURE.md D16) for the management views and
 * `x-litellm-key-spend`. Bounded by `SPEND_TOTALS_TIMEOUT_MS`; without an answer the spend is
 * unknown (undefined), never guessed from another service's tables.
 */
export class SpendTotalsClient {
  private lastWarnAt = 0;

  constructor(
    private readonly bus: NatsBusClient,
    private readonly timeoutMs: number,
    private readonly onUnavailable: (error: unknown) => void = () => undefined,
  ) {}

  /** What the ledger recorded for one entity (a key by its stable id): 0 when nothing yet, undefined when it cannot be told. */
  async spendOf(type: SpendTotalsEntity['type'], id: string): Promise<number | undefined> {
    try {
      const reply = spendTotalsReplySchema.parse(
        await this.bus.request<unknown>(busPatterns.budgetSpendTotals, { v: 1, entities: [{ type, id }] }, { timeoutMs: this.timeoutMs, service: 'The budget service' }),
      );
      const total = reply.totals.find((candidate) => candidate.type === type && candidate.id === id);
      return total ? Number(total.spend) : 0;
    } catch (error) {
      if (Date.now() - this.lastWarnAt >= warnEveryMs) {
        this.lastWarnAt = Date.now();
        this.onUnavailable(error);
      }
      return undefined;
    }
  }
}
