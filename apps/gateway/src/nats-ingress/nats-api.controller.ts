import { Controller, Inject, UseFilters, UseGuards } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { apiQueueGroup, busPatterns } from '@switchboard/contracts';
import type { BusContext} from '@switchboard/messaging';
import { BusExceptionFilter, readTraceHeaders } from '@switchboard/messaging';
import { ModelRouter } from '../routing/model-router.service';
import { NatsApiKeyGuard, StandsFor, verifiedKeyOf } from './nats-api.guard';
import { NatsChatHandler } from './nats-chat.handler';
import type { NatsApiRequest } from './nats-request';
import { NatsResponsesHandler } from './nats-responses.handler';
import { NatsRoutedCallService } from './nats-routed-call.service';

const inIngressGroup = { queue: apiQueueGroup };

/**
 * The public NATS API (docs/nats-api.md): the same keys, model access, budgets, routing, usage
 * events and sessions as HTTP, for services that live on NATS. The guard verifies the key; each
 * handler decodes its payload and runs the request; errors become the one bus error reply (OpenAI
 * error JSON with the HTTP-equivalent status in headers).
 */
@Controller()
@UseFilters(BusExceptionFilter)
export class NatsApiController {
  constructor(
    @Inject(ModelRouter) private readonly router: ModelRouter,
    @Inject(NatsRoutedCallService) private readonly calls: NatsRoutedCallService,
    @Inject(NatsChatHandler) private readonly chat: NatsChatHandler,
    @Inject(NatsResponsesHandler) private readonly responses: NatsResponsesHandler,
  ) {}

  @MessagePattern(busPatterns.apiChatCompletions, inIngressGroup)
  @UseGuards(NatsApiKeyGuard)
  @StandsFor('POST', '/v1/chat/completions')
  chatCompletions(@Payload() body: unknown, @Ctx() context: BusContext): Promise<void> {
    return this.chat.completions(requestOf(body, context));
  }

  @MessagePattern(busPatterns.apiEmbeddings, inIngressGroup)
  @UseGuards(NatsApiKeyGuard)
  @StandsFor('POST', '/v1/embeddings')
  embeddings(@Payload() body: unknown, @Ctx() context: BusContext): Promise<void> {
    return this.chat.embeddings(requestOf(body, context));
  }

  @MessagePattern(busPatterns.apiResponses, inIngressGroup)
  @UseGuards(NatsApiKeyGuard)
  @StandsFor('POST', '/v1/responses')
  createResponse(@Payload() body: unknown, @Ctx() context: BusContext): Promise<void> {
    return this.responses.create(requestOf(body, context));
  }

  @MessagePattern(busPatterns.apiModels, inIngressGroup)
  @UseGuards(NatsApiKeyGuard)
  @StandsFor('GET', '/v1/models')
  models(@Ctx() context: BusContext) {
    const verified = verifiedKeyOf(context);
    const names = this.router.modelNames().filter((name) => !verified.allowedModels || verified.allowedModels.has(name));
    const owners = new Map(this.router.allDeployments().map((deployment) => [deployment.modelName, deployment.provider]));
    return { object: 'list', data: names.map((id) => ({ id, object: 'model', created: 0, owned_by: owners.get(id) ?? 'switchboard' })) };
  }

  /** A caller stopping its stream: `{"reply": "<the inbox of the stream>"}`, to every gateway instance. */
  @EventPattern(busPatterns.apiCancel)
  cancel(@Payload() request: { reply?: unknown }): void {
    if (typeof request?.reply === 'string') this.calls.cancel(request.reply);
  }
}

function requestOf(body: unknown, context: BusContext): NatsApiRequest {
  return {
    requestId: context.requestId,
    subject: context.subject,
    inbox: context.message.reply ?? '',
    trace: readTraceHeaders(context.headers),
    customerId: context.header('x-litellm-customer-id'),
    verified: verifiedKeyOf(context),
    body,
    reply: context.reply,
  };
}
