import { Controller, Inject, UseFilters, UseGuards } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { apiQueueGroup, busPatterns } from '@switchboard/contracts';
import { BusExceptionFilter } from '@switchboard/messaging';
import type { BusContext } from '@switchboard/messaging';
import { chatPlan } from '../chat/chat.plan';
import { embeddingsPlan } from '../embeddings/embeddings.plan';
import { responsesPlan } from '../responses/responses.plan';
import { ResponsesService } from '../responses/responses.service';
import { ModelRouter } from '../routing/model-router.service';
import { listModels } from '../models/model-listing';
import { PricingService } from '@switchboard/pricing';
import { NatsApiKeyGuard, StandsFor, verifiedKeyOf } from './nats-api.guard';
import { NatsCallerRegistry } from './nats-caller.registry';
import { NatsEdge } from './nats-edge.service';

const inIngressGroup = { queue: apiQueueGroup };

/**
 * The public NATS API (docs/nats-api.md): the same keys, model access, budgets, routing, usage
 * events and sessions as HTTP, for services that live on NATS. The guard verifies the key; each
 * handler plans its request and runs it through the one lifecycle; errors become the one bus error
 * reply (OpenAI error JSON with the HTTP-equivalent status in headers).
 */
@Controller()
@UseFilters(BusExceptionFilter)
export class NatsApiController {
  constructor(
    @Inject(NatsEdge) private readonly edge: NatsEdge,
    @Inject(ModelRouter) private readonly router: ModelRouter,
    @Inject(NatsCallerRegistry) private readonly callers: NatsCallerRegistry,
    @Inject(ResponsesService) private readonly responses: ResponsesService,
    @Inject(PricingService) private readonly pricing: PricingService,
  ) {}

  @MessagePattern(busPatterns.apiChatCompletions, inIngressGroup)
  @UseGuards(NatsApiKeyGuard)
  @StandsFor('POST', '/v1/chat/completions')
  chatCompletions(@Payload() body: unknown, @Ctx() context: BusContext): Promise<void> {
    return this.edge.serve(context, body, chatPlan);
  }

  @MessagePattern(busPatterns.apiEmbeddings, inIngressGroup)
  @UseGuards(NatsApiKeyGuard)
  @StandsFor('POST', '/v1/embeddings')
  embeddings(@Payload() body: unknown, @Ctx() context: BusContext): Promise<void> {
    return this.edge.serve(context, body, embeddingsPlan);
  }

  @MessagePattern(busPatterns.apiResponses, inIngressGroup)
  @UseGuards(NatsApiKeyGuard)
  @StandsFor('POST', '/v1/responses')
  createResponse(@Payload() body: unknown, @Ctx() context: BusContext): Promise<void> {
    return this.edge.serve(context, body, (request, payload) => responsesPlan(request, payload, this.responses));
  }

  @MessagePattern(busPatterns.apiModels, inIngressGroup)
  @UseGuards(NatsApiKeyGuard)
  @StandsFor('GET', '/v1/models')
  models(@Ctx() context: BusContext) {
    const verified = verifiedKeyOf(context);
    const listed = listModels(this.router, this.pricing, { allowed: verified.allowedModels, wildcardRoutes: false });
    return { object: 'list', data: listed.map((model) => ({ id: model.id, object: 'model', created: 0, owned_by: model.ownedBy })) };
  }

  /** A caller stopping its stream: `{"reply": "<the inbox of the stream>"}`, to every gateway instance. */
  @EventPattern(busPatterns.apiCancel)
  cancel(@Payload() request: { reply?: unknown }): void {
    if (typeof request?.reply === 'string') this.callers.cancel(request.reply);
  }
}
