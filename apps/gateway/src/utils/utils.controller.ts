import { Body, Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { estimateInputTokens } from '@switchboard/api-anthropic';
import { parseChatRequest } from '@switchboard/api-openai';
import { estimateTokens } from '@switchboard/provider-utils';
import { SwitchboardError } from '@switchboard/spec';
import { AuthGuard } from '../auth/auth.guard';
import { ModelRouter } from '../routing/model-router.service';

/**
 * LiteLLM's `POST /utils/token_counter`: `{model, messages}` or `{model, prompt}` in,
 * `{total_tokens, request_model, model_used, tokenizer_type}` out. Switchboard ships no provider
 * tokenizers, so the count is the estimate its admission uses (about four characters a token),
 * and `tokenizer_type` says so.
 */
@Controller()
@UseGuards(AuthGuard)
export class UtilsController {
  constructor(@Inject(ModelRouter) private readonly router: ModelRouter) {}

  @Post('utils/token_counter')
  @HttpCode(200)
  tokenCounter(@Body() body: unknown) {
    const request = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    if (typeof request.model !== 'string' || request.model === '') throw new SwitchboardError('invalid_request', "you must provide a 'model' parameter", { param: 'model' });
    const deployments = this.router.deploymentsFor(request.model);
    const modelUsed = deployments.length ? String(deployments[0].params.model).slice(String(deployments[0].params.model).indexOf('/') + 1) : request.model;
    let total: number;
    if (request.messages !== undefined) total = estimateInputTokens(parseChatRequest({ model: request.model, messages: request.messages }));
    else if (typeof request.prompt === 'string') total = estimateTokens(request.prompt);
    else throw new SwitchboardError('invalid_request', "send 'messages' (a chat request's) or 'prompt' (a string)", { param: 'messages' });
    return { total_tokens: total, request_model: request.model, model_used: modelUsed, tokenizer_type: 'estimate_4_chars_per_token' };
  }
}
