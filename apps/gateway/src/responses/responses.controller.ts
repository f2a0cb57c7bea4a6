import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AuthGuard } from '../auth/auth.guard';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { httpEdgeRequest, httpSinkFor } from '../http/http-edge';
import { callerOf } from '../lifecycle/edge-request';
import { RequestPipeline } from '../lifecycle/request-pipeline.service';
import { responseOwner } from './response-owner';
import { responsesPlan } from './responses.plan';
import { ResponsesService } from './responses.service';

/** OpenAI's Responses API over HTTP; the bridge to chat and the sessions are ResponsesService's. */
@Controller()
@UseGuards(AuthGuard)
export class ResponsesController {
  constructor(
    @Inject(RequestPipeline) private readonly pipeline: RequestPipeline,
    @Inject(ResponsesService) private readonly responses: ResponsesService,
  ) {}

  @Post(['v1/responses', 'responses'])
  @HttpCode(200)
  async create(@Req() request: AuthenticatedRequest, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    const plan = await responsesPlan(httpEdgeRequest(request), body, this.responses);
    await this.pipeline.run(plan, httpSinkFor(request, reply, plan));
  }

  @Get(['v1/responses/:id', 'responses/:id'])
  async retrieve(@Req() request: AuthenticatedRequest, @Param('id') id: string) {
    return (await this.responses.owned(id, responseOwner(callerOf(httpEdgeRequest(request), undefined)), 'id')).response;
  }

  @Get(['v1/responses/:id/input_items', 'responses/:id/input_items'])
  async inputItems(@Req() request: AuthenticatedRequest, @Param('id') id: string) {
    const stored = await this.responses.owned(id, responseOwner(callerOf(httpEdgeRequest(request), undefined)), 'id');
    const items = [...stored.inputItems].reverse() as Array<{ id: string }>;
    return { object: 'list', data: items, first_id: items[0]?.id ?? null, last_id: items.at(-1)?.id ?? null, has_more: false };
  }

  @Delete(['v1/responses/:id', 'responses/:id'])
  async remove(@Req() request: AuthenticatedRequest, @Param('id') id: string) {
    await this.responses.remove(id, responseOwner(callerOf(httpEdgeRequest(request), undefined)));
    return { id, object: 'response', deleted: true };
  }
}
