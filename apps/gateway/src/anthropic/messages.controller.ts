import { Body, Controller, HttpCode, Inject, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { convertMessagesRequest, countTokensRequestSchema, estimateInputTokens } from '@switchboard/api-anthropic';
import { SwitchboardError, quoteInput } from '@switchboard/spec';
import { AuthGuard } from '../auth/auth.guard';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { httpEdgeRequest, httpSinkFor } from '../http/http-edge';
import { RequestPipeline } from '../lifecycle/request-pipeline.service';
import { AnthropicExceptionFilter } from './anthropic-exception.filter';
import { messagesPlan } from './messages.plan';

/**
 * Anthropic's Messages API in front of every provider: the request is translated to the canonical
 * form, routed like a chat completion, and the answer encoded back as Anthropic JSON or SSE.
 */
@Controller()
@UseGuards(AuthGuard)
@UseFilters(AnthropicExceptionFilter)
export class MessagesController {
  constructor(@Inject(RequestPipeline) private readonly pipeline: RequestPipeline) {}

  @Post('v1/messages/count_tokens')
  @HttpCode(200)
  countTokens(@Body() body: unknown) {
    const parsed = countTokensRequestSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new SwitchboardError('invalid_request', `${quoteInput(issue.path.join('.'))}: ${quoteInput(issue.message, 300)}`, { param: issue.path.join('.') || null });
    }
    return { input_tokens: estimateInputTokens(convertMessagesRequest({ ...parsed.data, max_tokens: 1 })) };
  }

  @Post('v1/messages')
  @HttpCode(200)
  async create(@Req() request: AuthenticatedRequest, @Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    const plan = messagesPlan(httpEdgeRequest(request), body);
    await this.pipeline.run(plan, httpSinkFor(request, reply, plan));
  }
}
