import { headerValue, postUpstream, readSseEvents, readText, streamParts, parseUpstreamJson } from '@switchboard/provider-utils';
import type { ChatRequest, ChatResult, EmbeddingRequest, EmbeddingResult, ProviderAdapter, ProviderCallOptions, StreamPart, ToolCall } from '@switchboard/spec';
import { geminiEndpoint } from './gemini-api';
import type { GeminiResponse } from './gemini-api-schemas';
import { geminiError } from './gemini-error';
import { GeminiStreamTransformer } from './gemini-stream-transformer';
import { convertGeminiUsage } from './convert-gemini-usage';
import { convertToGeminiRequest } from './convert-to-gemini-request';

/**
 * Google AI Studio's Gemini API (generateContent, streamGenerateContent?alt=sse, batchEmbedContents).
 * Registered as `gemini`, and as `palm` (Google retired PaLM; its models are served by Gemini).
 */
export class GeminiAdapter implements ProviderAdapter {
  constructor(readonly provider: string = 'gemini') {}

  async chat(options: ProviderCallOptions<ChatRequest>): Promise<ChatResult> {
    const { response, warnings } = await this.post(options, false);
    const text = await readText(response, options.signal);
    const body = parseUpstreamJson<GeminiResponse>(text, 'gemini');
    const transformer = new GeminiStreamTransformer(options.requestId);
    const parts = [...transformer.transform(body), ...transformer.finalParts()];
    let content = '';
    let reasoning = '';
    const toolCalls: ToolCall[] = [];
    let id = `chatcmpl-${options.requestId}`;
    let model = options.deployment.upstreamModel;
    let finishReason: ChatResult['choices'][number]['finishReason'] = { unified: 'stop', raw: null };
    let usage = convertGeminiUsage(undefined);
    for (const part of parts) {
      if (part.type === 'text-delta') content += part.delta;
      else if (part.type === 'reasoning-delta') reasoning += part.delta;
      else if (part.type === 'tool-call-delta') toolCalls.push({ id: part.id ?? '', type: 'function', function: { name: part.name ?? '', arguments: part.argumentsDelta } });
      else if (part.type === 'response-metadata') {
        id = part.id ?? id;
        model = part.model ?? model;
      } else if (part.type === 'finish') finishReason = part.finishReason;
      else if (part.type === 'usage') usage = part.usage;
    }
    return {
      id,
      model,
      created: Math.floor(Date.now() / 1000),
      choices: [{ index: 0, message: { role: 'assistant', content: content || (toolCalls.length ? null : ''), reasoningContent: reasoning || undefined, toolCalls: toolCalls.length ? toolCalls : undefined }, finishReason }],
      usage,
      warnings: warnings.length ? warnings : undefined,
    };
  }

  async chatStream(options: ProviderCallOptions<ChatRequest>): Promise<AsyncIterable<StreamPart>> {
    const { response, warnings } = await this.post(options, true);
    const transformer = new GeminiStreamTransformer(options.requestId);
    return streamParts(response, geminiChunks(readSseEvents(response.body)), (chunk) => transformer.transform(chunk), options.signal, {
      warnings,
      finish: () => transformer.finalParts(),
    });
  }

  async embed(options: ProviderCallOptions<EmbeddingRequest>): Promise<EmbeddingResult> {
    const endpoint = geminiEndpoint(options.deployment, 'batchEmbedContents');
    const inputs = Array.isArray(options.request.input) ? options.request.input : [options.request.input];
    const model = `models/${options.deployment.upstreamModel}`;
    const body = {
      requests: inputs.map((input) => ({
        model,
        content: { parts: [{ text: typeof input === 'string' ? input : JSON.stringify(input) }] },
        ...(options.request.dimensions ? { outputDimensionality: options.request.dimensions } : {}),
      })),
    };
    const response = await postUpstream({
      url: endpoint.url,
      headers: endpoint.headers,
      body,
      deployment: options.deployment,
      signal: options.signal,
      stream: false,
      toError: (status, text, headers) => geminiError(status, text, headerValue(headers, 'retry-after')),
    });
    const text = await readText(response, options.signal);
    const parsed = JSON.parse(text) as { embeddings?: Array<{ values: number[] }> };
    // The embeddings API reports no token counts.
    return { model: options.deployment.upstreamModel, embeddings: (parsed.embeddings ?? []).map((embedding) => embedding.values), usage: { inputTokens: 0 } };
  }

  private async post(options: ProviderCallOptions<ChatRequest>, stream: boolean) {
    const endpoint = geminiEndpoint(options.deployment, stream ? 'streamGenerateContent' : 'generateContent');
    const { body, warnings } = convertToGeminiRequest(options.request);
    const response = await postUpstream({
      url: endpoint.url,
      headers: endpoint.headers,
      body,
      deployment: options.deployment,
      signal: options.signal,
      stream,
      toError: (status, text, headers) => geminiError(status, text, headerValue(headers, 'retry-after')),
    });
    return { response, warnings };
  }
}

async function* geminiChunks(events: AsyncIterable<{ data: string }>): AsyncGenerator<GeminiResponse> {
  for await (const event of events) {
    try {
      yield JSON.parse(event.data) as GeminiResponse;
    } catch {
      // a keep-alive or a partial line: nothing to translate
    }
  }
}
