import { Controller, Inject, UseFilters } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { busPatterns, cancelCommandSchema, chatCommandSchema, embedCommandSchema, providerQueueGroup } from '@switchboard/contracts';
import type { CancelCommandV1, ChatCommandV1, EmbedCommandV1 } from '@switchboard/contracts';
import { BusExceptionFilter, BusPayloadPipe } from '@switchboard/messaging';
import type { BusPatternExtras , BusContext} from '@switchboard/messaging';
import { EmbedExecutionService } from '../embeddings/embed-execution.service';
import { ChatExecutionService } from './chat-execution.service';
import { InFlightRegistry } from './in-flight-registry';

/** One subscription per provider this worker serves, in that provider's queue group. */
const perProvider: BusPatternExtras = { routedBy: 'providers', queue: providerQueueGroup, heartbeat: true };

/** The worker's bus handlers: decode, delegate to one service, reply. */
@Controller()
@UseFilters(BusExceptionFilter)
export class ProviderCommandController {
  constructor(
    @Inject(ChatExecutionService) private readonly chat: ChatExecutionService,
    @Inject(EmbedExecutionService) private readonly embed: EmbedExecutionService,
    @Inject(InFlightRegistry) private readonly inFlight: InFlightRegistry,
  ) {}

  @MessagePattern(busPatterns.providerChat, perProvider)
  chatCompletion(@Payload(new BusPayloadPipe(chatCommandSchema)) command: ChatCommandV1, @Ctx() context: BusContext): Promise<void> {
    return this.chat.execute(command, context);
  }

  @MessagePattern(busPatterns.providerEmbed, perProvider)
  embedding(@Payload(new BusPayloadPipe(embedCommandSchema)) command: EmbedCommandV1, @Ctx() context: BusContext): Promise<void> {
    return this.embed.execute(command, context);
  }

  /** Broadcast to every worker: the one holding the request aborts its upstream call. */
  @EventPattern(busPatterns.providerCancel)
  cancel(@Payload(new BusPayloadPipe(cancelCommandSchema)) command: CancelCommandV1): void {
    this.inFlight.cancel(command.requestId);
  }
}
