import { Body, Controller, HttpCode, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AuthGuard } from '../auth/auth.guard';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { withPathModel } from '../chat/chat.controller';
import { httpEdgeRequest, httpSinkFor } from '../http/http-edge';
import { RequestPipeline } from '../lifecycle/request-pipeline.service';
import { completionsPlan } from './completions.plan';

/** OpenAI's legacy Completions API (and its Azure and engine routes), over the chat path of every provider. */
@Controller()
@UseGuards(AuthGuard)
export class CompletionsController {
  constructor(@Inject(RequestPipeline) private readonly pipeline: RequestPipeline) {}

  @Post(['v1/completions', 'completions'])
  @HttpCode(200)
  async create(@Req() request: AuthenticatedRequest, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    const plan = completionsPlan(httpEdgeRequest(request), body);
    await this.pipeline.run(plan, httpSinkFor(request, reply, plan));
  }

  @Post(['openai/deployments/:model/completions', 'engines/:model/completions'])
  @HttpCode(200)
  async createForModel(@Req() request: AuthenticatedRequest, @Res() reply: FastifyReply, @Param('model') model: string, @Body() body: unknown): Promise<void> {
    await this.create(request, reply, withPathModel(body, model));
  }
}
