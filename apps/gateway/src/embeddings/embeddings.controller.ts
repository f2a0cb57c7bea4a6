import { Body, Controller, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { encodeEmbeddingResponse, parseEmbeddingRequest } from '@switchboard/api-openai';
import type { EmbeddingResult } from '@switchboard/spec';
import { SwitchboardError } from '@switchboard/spec';
import { AuthGuard } from '../auth/auth.guard';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { authorizeModel, callerFor, traceHeaders } from '../chat/request-context';
import { WorkerDispatchService } from '../chat/worker-dispatch.service';
import { ModelRouter } from '../routing/model-router.service';

@Controller()
@UseGuards(AuthGuard)
export class EmbeddingsController {
  constructor(
    @Inject(ModelRouter) private readonly router: ModelRouter,
    @Inject(WorkerDispatchService) private readonly dispatcher: WorkerDispatchService,
  ) {}

  @Post(['v1/embeddings', 'embeddings'])
  @HttpCode(200)
  async create(@Req() request: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply, @Body() body: unknown) {
    const embeddingRequest = parseEmbeddingRequest(body);
    authorizeModel(request, embeddingRequest.model);
    const deployment = this.router.pick(embeddingRequest.model);
    const dispatch = this.dispatcher.embed(embeddingRequest, {
      requestId: request.id,
      deployment,
      caller: callerFor(request, embeddingRequest.user),
      ...traceHeaders(request),
    });
    const onClose = () => {
      if (!reply.raw.writableFinished) dispatch.cancel();
    };
    reply.raw.on('close', onClose);
    try {
      const frame = await dispatch.next();
      if (frame.kind === 'error') throw frame.error;
      if (frame.kind !== 'result') throw new SwitchboardError('internal', 'The worker sent no result');
      void reply.header('x-litellm-model-id', deployment.id).header('x-litellm-model-group', deployment.modelName);
      return encodeEmbeddingResponse(frame.result as EmbeddingResult, embeddingRequest.encoding_format);
    } finally {
      reply.raw.off('close', onClose);
      dispatch.finish();
    }
  }
}
