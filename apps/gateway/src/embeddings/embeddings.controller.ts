import { Body, Controller, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { encodeEmbeddingResponse, parseEmbeddingRequest } from '@switchboard/api-openai';
import type { EmbeddingResult } from '@switchboard/spec';
import { embeddingUsage } from '@switchboard/provider-utils';
import { SwitchboardError } from '@switchboard/spec';
import { AuthGuard } from '../auth/auth.guard';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { ChatAttemptService } from '../chat/chat-attempt.service';
import { authorizeModel, callerFor } from '../chat/request-context';
import { RoutedCallService } from '../chat/routed-call.service';
import { routingHeaders } from '../chat/routing-headers';
import { requestsByModelGroup, routeRequestFor, withoutRoutingFields } from '../routing/route-request';

@Controller()
@UseGuards(AuthGuard)
export class EmbeddingsController {
  constructor(
    @Inject(RoutedCallService) private readonly calls: RoutedCallService,
    @Inject(ChatAttemptService) private readonly attempts: ChatAttemptService,
  ) {}

  @Post(['v1/embeddings', 'embeddings'])
  @HttpCode(200)
  async create(@Req() request: AuthenticatedRequest, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    const embeddingRequest = parseEmbeddingRequest(body);
    authorizeModel(request, embeddingRequest.model);
    const forwarded = requestsByModelGroup(embeddingRequest, withoutRoutingFields(embeddingRequest), (merged) => withoutRoutingFields(parseEmbeddingRequest(merged)));
    const caller = callerFor(request, embeddingRequest.user);
    await this.calls.run({
      request,
      reply,
      route: routeRequestFor(embeddingRequest.model, embeddingRequest, request.headers),
      spanRequest: { model: embeddingRequest.model },
      caller,
      kind: 'embeddings',
      stream: false,
      maxTokens: 0,
      attempt: (deployment, trace, scope) =>
        this.attempts.embed({ ...forwarded(deployment.modelName), model: deployment.modelName }, deployment, trace, { requestId: request.id, caller, ...scope }),
      respond: (started, context) => {
        started.dispatch.finish();
        const frame = started.buffered[started.buffered.length - 1];
        if (frame?.kind !== 'result') throw new SwitchboardError('internal', 'The worker sent no result');
        const text = JSON.stringify(encodeEmbeddingResponse(frame.result as EmbeddingResult, embeddingRequest.encoding_format));
        reply.raw.writeHead(200, { ...routingHeaders(context), 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        reply.raw.end(text);
        // Budgets settle with what the embedding really used.
        return { usage: embeddingUsage(frame.result as EmbeddingResult) };
      },
    });
  }
}
