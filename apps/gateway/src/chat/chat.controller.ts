import { Body, Controller, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { parseChatRequest } from '@switchboard/api-openai';
import { AuthGuard } from '../auth/auth.guard';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { ModelRouter } from '../routing/model-router.service';
import { ChatResponseService } from './chat-response.service';
import { WorkerDispatchService } from './worker-dispatch.service';
import { authorizeModel, callerFor, traceHeaders } from './request-context';

@Controller()
@UseGuards(AuthGuard)
export class ChatController {
  constructor(
    @Inject(ModelRouter) private readonly router: ModelRouter,
    @Inject(WorkerDispatchService) private readonly dispatcher: WorkerDispatchService,
    @Inject(ChatResponseService) private readonly responses: ChatResponseService,
  ) {}

  @Post(['v1/chat/completions', 'chat/completions'])
  @HttpCode(200)
  async create(@Req() request: AuthenticatedRequest, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    const startedAt = Date.now();
    const chatRequest = parseChatRequest(body);
    authorizeModel(request, chatRequest.model);
    const deployment = this.router.pick(chatRequest.model);
    const dispatch = this.dispatcher.chat(chatRequest, {
      requestId: request.id,
      deployment,
      caller: callerFor(request, chatRequest.user),
      ...traceHeaders(request),
    });
    reply.hijack();
    const context = { requestId: request.id, deployment, requestModel: chatRequest.model, startedAt };
    if (chatRequest.stream) {
      await this.responses.sendStream(reply, dispatch, context, chatRequest.stream_options?.include_usage === true);
    } else {
      await this.responses.sendCompletion(reply, dispatch, context);
    }
  }
}
