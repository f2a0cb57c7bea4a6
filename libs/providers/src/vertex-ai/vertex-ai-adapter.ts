import { headerValue, postUpstream, readSseEvents, streamParts } from '@switchboard/provider-utils';
import { SwitchboardError } from '@switchboard/spec';
import type { ChatRequest, ChatResult, EmbeddingRequest, EmbeddingResult, ProviderAdapter, ProviderCallOptions, StreamPart } from '@switchboard/spec';
import { anthropicError } from '../anthropic/anthropic-error';
import { AnthropicStreamTransformer } from '../anthropic/anthropic-stream-transformer';
import { convertToAnthropicRequest } from '../anthropic/convert-to-anthropic-request';
import type { GeminiResponse } from '../gemini/gemini-api-schemas';
import { geminiError } from '../gemini/gemini-error';
import { GeminiStreamTransformer } from '../gemini/gemini-stream-transformer';
import { convertToGeminiRequest } from '../gemini/convert-to-gemini-request';
import { isClaude, vertexAccessToken, vertexUrl } from './vertex-ai-api';
import { embedWithVertexAi } from './vertex-ai-embeddings';

/**
 * Vertex AI: Gemini models through Google's publisher endpoint (the Gemini converters), Claude
 * through Anthropic's (`rawPredict` / `streamRawPredict`, the Anthropic converters, with
 * `anthropic_version: vertex-2023-10-16`). https://cloud.google.com/vertex-ai/generative-ai/docs/partner-models/claude
 * Embeddings go through the Google publisher model's `:predict` (`vertex-ai-embeddings.ts`).
 */
export class VertexAiAdapter implements ProviderAdapter {
  readonly provider = 'vertex_ai';

  /** Whole answers are read from the stream endpoints too: one code path for both publishers. */
  async chat(options: ProviderCallOptions<ChatRequest>): Promise<ChatResult> {
    const parts: StreamPart[] = [];
    for await (const part of await this.chatStream({ ...options, request: { ...options.request, stream: true } })) {
      if (part.type === 'error') throw SwitchboardError.fromPayload(part.error);
      parts.push(part);
    }
    return resultFrom(parts, options.requestId, options.deployment.upstreamModel);
  }

  async chatStream(options: ProviderCallOptions<ChatRequest>): Promise<AsyncIterable<StreamPart>> {
    const token = await vertexAccessToken(options.deployment);
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const base = { deployment: options.deployment, signal: options.signal, stream: true };
    if (isClaude(options.deployment.upstreamModel)) {
      const { body, jsonMode, warnings } = convertToAnthropicRequest(options.request, options.deployment.upstreamModel, true);
      const { model: _model, ...withoutModel } = body;
      const response = await postUpstream({
        ...base,
        url: vertexUrl(options.deployment, 'streamRawPredict'),
        headers,
        body: { ...withoutModel, anthropic_version: 'vertex-2023-10-16' },
        toError: (status, text, responseHeaders) => anthropicError(status, text, headerValue(responseHeaders, 'retry-after')),
      });
      const transformer = new AnthropicStreamTransformer(jsonMode);
      return streamParts(response, readSseEvents(response.body), (event) => transformer.transform(event), options.signal, { warnings, isDone: () => transformer.isDone });
    }
    const { body, warnings } = convertToGeminiRequest(options.request);
    const response = await postUpstream({
      ...base,
      url: `${vertexUrl(options.deployment, 'streamGenerateContent')}?alt=sse`,
      headers,
      body,
      toError: (status, text, responseHeaders) => geminiError(status, text, headerValue(responseHeaders, 'retry-after')),
    });
    const transformer = new GeminiStreamTransformer(options.requestId);
    const chunks = async function* () {
      for await (const event of readSseEvents(response.body)) yield JSON.parse(event.data) as GeminiResponse;
    };
    return streamParts(response, chunks(), (chunk) => transformer.transform(chunk), options.signal, { warnings, finish: () => transformer.finalParts() });
  }

  async embed(options: ProviderCallOptions<EmbeddingRequest>): Promise<EmbeddingResult> {
    return embedWithVertexAi(options);
  }
}

/** Folds streamed parts into a whole answer. */
function resultFrom(parts: readonly StreamPart[], requestId: string, model: string): ChatResult {
  const result: ChatResult = { id: `chatcmpl-${requestId}`, model, created: Math.floor(Date.now() / 1000), choices: [], usage: { inputTokens: { total: 0, noCache: 0, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 0, text: 0, reasoning: 0 } } };
  let content = '';
  let reasoning = '';
  const calls = new Map<number, { id: string; name: string; arguments: string }>();
  let finishReason: ChatResult['choices'][number]['finishReason'] = { unified: 'stop', raw: null };
  for (const part of parts) {
    if (part.type === 'response-metadata') {
      result.id = part.id ?? result.id;
      result.model = part.model ?? result.model;
    } else if (part.type === 'text-delta') content += part.delta;
    else if (part.type === 'reasoning-delta') reasoning += part.delta;
    else if (part.type === 'tool-call-delta') {
      const call = calls.get(part.toolCallIndex) ?? { id: part.id ?? '', name: part.name ?? '', arguments: '' };
      call.arguments += part.argumentsDelta;
      calls.set(part.toolCallIndex, call);
    } else if (part.type === 'finish') finishReason = part.finishReason;
    else if (part.type === 'usage') result.usage = part.usage;
  }
  const toolCalls = [...calls.values()].map((call) => ({ id: call.id, type: 'function' as const, function: { name: call.name, arguments: call.arguments } }));
  result.choices = [{ index: 0, message: { role: 'assistant', content: content || (toolCalls.length ? null : ''), reasoningContent: reasoning || undefined, toolCalls: toolCalls.length ? toolCalls : undefined }, finishReason }];
  return result;
}
