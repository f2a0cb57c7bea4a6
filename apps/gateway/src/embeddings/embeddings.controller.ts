import { Body, Controller, HttpCode, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AuthGuard } from '../auth/auth.guard';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { withPathModel } from '../chat/chat.controller';
import { httpEdgeRequest, httpSinkFor } from '../http/http-edge';
import { RequestPipeline } from '../lifecycle/request-pipeline.service';
import { embeddingsPlan } from './embeddings.plan';

@Controller()
@UseGuards(AuthGuard)
export class EmbeddingsController {
  constructor(@Inject(RequestPipeline) private readonly pipeline: RequestPipeline) {}

  @Post(['v1/embeddings', 'embeddings'])
  @HttpCode(200)
  async create(@Req() request: AuthenticatedRequest, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    const plan = embeddingsPlan(httpEdgeRequest(request), body);
    await this.pipeline.run(plan, httpSinkFor(request, reply, plan));
  }

  /** Azure OpenAI's route (`AzureOpenAI` clients) and OpenAI's legacy engine route: the path names the model. */
  @Post(['openai/deployments/:model/embeddings', 'engines/:model/embeddings'])
  @HttpCode(200)
  async createForModel(@Req() request: AuthenticatedRequest, @Res() reply: FastifyReply, @Param('model') model: string, @Body() body: unknown): Promise<void> {
    await this.create(request, reply, withPathModel(body, model));
  }
}
