import { Body, Controller, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { encodeEmbeddingResponse, parseEmbeddingRequest } from '@switchboard/api-openai';
import type { RouteTrace } from '@switchboard/router';
import type { EmbeddingResult } from '@switchboard/spec';
import { SwitchboardError } from '@switchboard/spec';
import { AuthGuard } from '../auth/auth.guard';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { ChatAttemptService } from '../chat/chat-attempt.service';
import { ClientConnection } from '../chat/client-connection';
import { authorizeModel, callerFor, traceHeaders } from '../chat/request-context';
import { routingHeaders } from '../chat/routing-headers';
import { toSwitchboardError, writeErrorResponse } from '../http/error-response';
import { ModelRouter } from '../routing/model-router.service';
import { routeRequestFor, withoutRoutingFields } from '../routing/route-request';
import { GatewayMetricsService } from '../metrics/gateway-metrics.service';
import { FailedRequestUsageService } from '../usage/failed-request-usage.service';

@Controller()
@UseGuards(AuthGuard)
export class EmbeddingsController {
  constructor(
    @Inject(ModelRouter) private readonly router: ModelRouter,
    @Inject(ChatAttemptService) private readonly attempts: ChatAttemptService,
    @Inject(FailedRequestUsageService) private readonly failedUsage: FailedRequestUsageService,
    @Inject(GatewayMetricsService) private readonly metrics: GatewayMetricsService,
  ) {}

  @Post(['v1/embeddings', 'embeddings'])
  @HttpCode(200)
  async create(@Req() request: AuthenticatedRequest, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    const startedAt = Date.now();
    const embeddingRequest = parseEmbeddingRequest(body);
    authorizeModel(request, embeddingRequest.model);
    const route = routeRequestFor(embeddingRequest.model, embeddingRequest, request.headers);
    const forwarded = withoutRoutingFields(embeddingRequest);
    const caller = callerFor(request, embeddingRequest.user);
    const trace: RouteTrace = { attemptedRetries: 0, attemptedFallbacks: 0, modelGroup: embeddingRequest.model };
    reply.hijack();
    const connection = new ClientConnection(reply.raw);
    try {
      const started = await this.router.execute(
        route,
        (deployment, currentTrace) =>
          this.attempts.embed({ ...forwarded, model: deployment.modelName }, deployment, currentTrace, {
            requestId: request.id,
            caller,
            connection,
            ...traceHeaders(request),
          }),
        trace,
      );
      started.dispatch.finish();
      const frame = started.buffered[started.buffered.length - 1];
      if (frame?.kind !== 'result') throw new SwitchboardError('internal', 'The worker sent no result');
      const text = JSON.stringify(encodeEmbeddingResponse(frame.result as EmbeddingResult, embeddingRequest.encoding_format));
      reply.raw.writeHead(200, {
        ...routingHeaders({ requestId: request.id, startedAt, trace }),
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
      });
      reply.raw.end(text);
    } catch (error) {
      const failure = toSwitchboardError(error);
      if (!reply.raw.headersSent) {
        this.failedUsage.record({ requestId: request.id, callType: 'embedding', stream: false, receivedAt: startedAt, caller, trace, error: failure });
        writeErrorResponse(reply.raw, request.id, failure, routingHeaders({ requestId: request.id, startedAt, trace }));
      }
    } finally {
      connection.release();
      this.metrics.record({ route: 'embeddings', requestId: request.id, keyAlias: caller.keyAlias, teamId: caller.teamId, trace, status: reply.raw.statusCode, startedAt });
    }
  }
}
