import { Controller, Inject, UseFilters } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { budgetQueueGroup, busPatterns, periodSpendRequestSchema } from '@switchboard/contracts';
import type { PeriodSpendReplyV1, PeriodSpendRequestV1 } from '@switchboard/contracts';
import { BusExceptionFilter, BusPayloadPipe } from '@switchboard/messaging';
import type { JetStreamBatchContext } from '@switchboard/messaging';
import { SwitchboardError } from '@switchboard/spec';
import { PeriodSpendService } from './period-spend.service';
import { UsageLedgerService } from './usage-ledger.service';

/** The budget service's bus handlers: the usage stream into the ledger, and what a budget period has spent. */
@Controller()
@UseFilters(BusExceptionFilter)
export class BudgetController {
  constructor(
    @Inject(UsageLedgerService) private readonly ledger: UsageLedgerService,
    @Inject(PeriodSpendService) private readonly periods: PeriodSpendService,
  ) {}

  /** Usage events in batches, from the durable consumer `budget-ledger` (the handler acknowledges each). */
  @EventPattern(busPatterns.usageRecorded, { consumer: 'ledger' })
  record(@Ctx() context: JetStreamBatchContext): Promise<void> {
    return this.ledger.handleBatch(context.messages);
  }

  /** A gateway seeding a missing Redis counter: the ledger's figure, or a 503 it refuses on (never admits blind). */
  @MessagePattern(busPatterns.budgetPeriodSpend, { queue: budgetQueueGroup })
  async periodSpend(@Payload(new BusPayloadPipe(periodSpendRequestSchema)) request: PeriodSpendRequestV1): Promise<PeriodSpendReplyV1> {
    try {
      return await this.periods.answer(request);
    } catch (error) {
      throw new SwitchboardError('upstream_unavailable', `The spend ledger could not answer: ${error instanceof Error ? error.message.slice(0, 200) : 'unavailable'}`, { retryAfterSeconds: 1 });
    }
  }
}
