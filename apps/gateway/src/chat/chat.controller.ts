import { Body, Controller, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { parseChatRequest } from '@switchboard/api-openai';
import { AuthGuard } from '../auth/auth.guard';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { requestTimeouts, requestsByModelGroup, routeRequestFor, withoutRoutingFields } from '../routing/route-request';
import { ChatAttemptService } from './chat-attempt.service';
import { ChatResponseService } from './chat-response.service';
import { authorizeModel, callerFor } from './request-context';
import { RoutedCallService } from './routed-call.service';

@Controller()
@UseGuards(AuthGuard)
export class ChatController {
  constructor(
    @Inject(RoutedCallService) private readonly calls: RoutedCallService,
    @Inject(ChatAttemptService) private readonly attempts: ChatAttemptService,
    @Inject(ChatResponseService) private readonly responses: ChatResponseService,
  ) {}

  @Post(['v1/chat/completions', 'chat/completions'])
  @HttpCode(200)
  async create(@Req() request: AuthenticatedRequest, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    const chatRequest = parseChatRequest(body);
    authorizeModel(request, chatRequest.model);
    const timeouts = requestTimeouts(chatRequest, request.headers);
    const forwarded = requestsByModelGroup(chatRequest, withoutRoutingFields(chatRequest), (merged) => withoutRoutingFields(parseChatRequest(merged)));
    const caller = callerFor(request, chatRequest.user);
    await this.calls.run({
      request,
      reply,
      route: routeRequestFor(chatRequest.model, chatRequest, request.headers, chatRequest.messages),
      spanRequest: chatRequest,
      caller,
      kind: 'chat',
      stream: chatRequest.stream === true,
      maxTokens: chatRequest.max_completion_tokens ?? chatRequest.max_tokens ?? undefined,
      attempt: (deployment, trace, scope) =>
        this.attempts.chat({ ...forwarded(deployment.modelName), model: deployment.modelName }, deployment, trace, { requestId: request.id, caller, ...scope, ...timeouts }),
      respond: (started, context) =>
        chatRequest.stream
          ? this.responses.sendStream(reply.raw, started, { ...context, requestModel: chatRequest.model, includeUsage: chatRequest.stream_options?.include_usage === true })
          : this.responses.sendCompletion(reply.raw, started, context),
    });
  }
}
