import { Body, Controller, HttpCode, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AuthGuard } from '../auth/auth.guard';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { toSwitchboardError } from '../http/error-response';
import { httpEdgeRequest, httpSinkFor } from '../http/http-edge';
import { nextRequestId } from '../http/request-id';
import { RequestPipeline } from '../lifecycle/request-pipeline.service';
import { batchModels, CollectingSink } from './batch-completion';
import { chatPlan } from './chat.plan';

/** The path's model wins over the body's, as on Azure's and OpenAI's legacy engine routes. */
export function withPathModel(body: unknown, model: string): unknown {
  return body && typeof body === 'object' && !Array.isArray(body) ? { ...body, model } : body;
}

@Controller()
@UseGuards(AuthGuard)
export class ChatController {
  constructor(@Inject(RequestPipeline) private readonly pipeline: RequestPipeline) {}

  @Post(['v1/chat/completions', 'chat/completions'])
  @HttpCode(200)
  async create(@Req() request: AuthenticatedRequest, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    const models = batchModels(body);
    if (models) return this.batch(request, reply, body as Record<string, unknown>, models);
    const plan = chatPlan(httpEdgeRequest(request), body);
    await this.pipeline.run(plan, httpSinkFor(request, reply, plan));
  }

  /** Azure OpenAI's route (`AzureOpenAI` clients, `api-key` header) and OpenAI's legacy engine route. */
  @Post(['openai/deployments/:model/chat/completions', 'engines/:model/chat/completions'])
  @HttpCode(200)
  async createForModel(@Req() request: AuthenticatedRequest, @Res() reply: FastifyReply, @Param('model') model: string, @Body() body: unknown): Promise<void> {
    await this.create(request, reply, withPathModel(body, model));
  }

  /**
   * LiteLLM's batch completion: each model runs as its own request through the one pipeline (its
   * own request id, admission, routing and usage event); the answer is their list, an error in
   * a member's place as OpenAI error JSON.
   */
  private async batch(request: AuthenticatedRequest, reply: FastifyReply, body: Record<string, unknown>, models: string[]): Promise<void> {
    const edge = httpEdgeRequest(request);
    reply.hijack();
    const response = reply.raw;
    const closeListeners: Array<() => void> = [];
    response.once('close', () => {
      if (!response.writableFinished) for (const listener of closeListeners.splice(0)) listener();
    });
    const answers = await Promise.all(
      models.map(async (model) => {
        const sink = new CollectingSink((listener) => closeListeners.push(listener));
        try {
          await this.pipeline.run(chatPlan({ ...edge, requestId: nextRequestId() }, { ...body, model }), sink);
        } catch (error) {
          // A member the chat parser refuses is that member's error, not the batch's.
          sink.error(toSwitchboardError(error));
        }
        return sink.answer;
      }),
    );
    if (response.destroyed) return;
    const text = JSON.stringify(answers);
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'x-request-id': request.id });
    response.end(text);
  }
}
