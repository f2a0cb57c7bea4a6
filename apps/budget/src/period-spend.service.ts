import type { JetStreamManager } from '@nats-io/jetstream';
import type { PeriodSpendReplyV1, PeriodSpendRequestV1 } from '@switchboard/contracts';
import type { SpendPeriodRepository } from '@switchboard/data-access-spend';

export interface PeriodSpendOptions {
  stream: string;
  /** The usage stream's subjects of recorded events (one per route). */
  recordedSubjects: readonly string[];
  durableName: string;
  /** Bound of the whole answer: catching up with the usage stream, then the query. */
  timeoutMs: number;
  retentionDays?: number;
}

/** How often the ledger consumer's progress is looked at while waiting for it to catch up. */
const catchUpCheckMs = 20;

/**
 * Answers "what did this budget period record" for a gateway seeding a missing Redis counter. The
 * answer waits (bounded) until the ledger consumer has recorded every usage event published before
 * the question, so a seed never misses a request that already finished; past the bound it is an
 * error, and the gateway refuses rather than admits blind.
 */
export class PeriodSpendService {
  constructor(
    private readonly periods: SpendPeriodRepository,
    private readonly manager: JetStreamManager,
    private readonly options: PeriodSpendOptions,
  ) {}

  async answer(request: PeriodSpendRequestV1): Promise<PeriodSpendReplyV1> {
    const deadline = Date.now() + this.options.timeoutMs;
    await this.catchUp(deadline);
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new Error('The spend ledger did not answer in time');
    const spend = await this.periods.spentSince({
      entity: request.entity,
      id: request.id,
      modelGroup: request.modelGroup,
      from: new Date(request.from),
      excludeRequestIds: request.excludeRequestIds,
      retentionCutoff: this.options.retentionDays ? new Date(Date.now() - this.options.retentionDays * 86_400_000) : undefined,
      statementTimeoutMs: remaining,
    });
    return { spend };
  }

  /** Waits until the ledger consumer has acknowledged the last usage event on the stream now. */
  private async catchUp(deadline: number): Promise<void> {
    const lasts = await Promise.all(this.options.recordedSubjects.map((subject) => this.manager.streams.getMessage(this.options.stream, { last_by_subj: subject }).catch(() => null)));
    const last = lasts.reduce<{ seq: number } | null>((latest, message) => (message && (!latest || message.seq > latest.seq) ? message : latest), null);
    if (!last) return;
    for (;;) {
      const info = await this.manager.consumers.info(this.options.stream, this.options.durableName);
      if (info.ack_floor.stream_seq >= last.seq) return;
      if (Date.now() + catchUpCheckMs >= deadline) throw new Error('The spend ledger is behind the usage stream; its spend cannot be told yet');
      await new Promise((resolve) => setTimeout(resolve, catchUpCheckMs));
    }
  }
}
