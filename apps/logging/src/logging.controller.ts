import { Controller, Inject, UseFilters } from '@nestjs/common';
import { Ctx, EventPattern } from '@nestjs/microservices';
import { busPatterns } from '@switchboard/contracts';
import { BusExceptionFilter } from '@switchboard/messaging';
import type { JetStreamBatchContext } from '@switchboard/messaging';
import { LoggingConsumers } from './logging-consumers';

/** The logging service's handlers: usage events and budget alerts from their durable consumers, in batches. */
@Controller()
@UseFilters(BusExceptionFilter)
export class LoggingController {
  constructor(@Inject(LoggingConsumers) private readonly consumers: LoggingConsumers) {}

  /** Every destination's consumer (and the per-caller one) reads usage events; the batch goes to its consumer. */
  @EventPattern(busPatterns.usageRecorded, { consumer: 'usage' })
  deliver(@Ctx() context: JetStreamBatchContext): Promise<void> {
    return this.consumers.handleUsage(context.durable, context.messages);
  }

  @EventPattern(busPatterns.usageBudgetAlert, { consumer: 'alerts' })
  alert(@Ctx() context: JetStreamBatchContext): Promise<void> {
    return this.consumers.handleAlerts(context.messages);
  }
}
