import {
  headerValue,
  networkError,
  readSseEvents,
  readText,
  sendUpstream,
} from '@switchboard/provider-utils';
import type { UpstreamResponse } from '@switchboard/provider-utils';
import { SwitchboardError } from '@switchboard/spec';
import type {
  ChatRequest,
  ChatResult,
  EmbeddingRequest,
  EmbeddingResult,
  ProviderAdapter,
  ProviderCallOptions,
  StreamPart,
} from '@switchboard/spec';
import { openAiCompatibleEndpoint } from './openai-compatible-api';
import type { OpenAiCompletion, OpenAiEmbeddingResponse } from './openai-compatible-api-schemas';
import { convertOpenAiCompatibleUsage } from './convert-openai-compatible-usage';
import { convertToOpenAiCompatibleRequest } from './convert-to-openai-compatible-request';
import { openAiCompatibleError } from './openai-compatible-error';
import type { OpenAiCompatiblePreset } from './openai-compatible-presets';
import { mapOpenAiCompatibleFinishReason } from './map-openai-compatible-finish-reason';
import { OpenAiCompatibleStreamTransformer } from './openai-compatible-stream-transformer';

/** Where a call goes and how it authenticates; vendors with their own URL scheme (Azure) bring one. */
export type EndpointResolver = (
  preset: OpenAiCompatiblePreset,
  deployment: ProviderCallOptions<unknown>['deployment'],
  path: '/chat/completions' | '/embeddings',
) => { url: string; headers: Record<string, string> };

/** One adapter for every OpenAI-compatible vendor; the preset carries what differs. */
export class OpenAiCompatibleAdapter implements ProviderAdapter {
  readonly provider: string;

  constructor(
    private readonly preset: OpenAiCompatiblePreset,
    private readonly endpointFor: EndpointResolver = openAiCompatibleEndpoint,
  ) {
    this.provider = preset.provider;
  }

  async chat(options: ProviderCallOptions<ChatRequest>): Promise<ChatResult> {
    const response = await this.post(options, '/chat/completions', false);
    const text = await readText(response, options.signal);
    let body: OpenAiCompletion;
    try {
      body = JSON.parse(text) as OpenAiCompletion;
    } catch {
      throw new SwitchboardError('upstream_error', `${this.provider} returned a response that is not JSON`);
    }
    return {
      id: body.id ?? `chatcmpl-${options.requestId}`,
      model: body.model ?? options.deployment.upstreamModel,
      created: body.created ?? Math.floor(Date.now() / 1000),
      systemFingerprint: body.system_fingerprint ?? undefined,
      serviceTier: body.service_tier ?? undefined,
      choices: (body.choices ?? []).map((choice, position) => ({
        index: choice.index ?? position,
        message: {
          role: 'assistant',
          content: choice.message?.content ?? null,
          reasoningContent: choice.message?.reasoning_content ?? choice.message?.reasoning ?? undefined,
          refusal: choice.message?.refusal ?? undefined,
          toolCalls: choice.message?.tool_calls?.length
            ? choice.message.tool_calls.map((call) => ({
                id: call.id ?? '',
                type: 'function' as const,
                function: { name: call.function?.name ?? '', arguments: call.function?.arguments ?? '' },
              }))
            : undefined,
        },
        finishReason: mapOpenAiCompatibleFinishReason(choice.finish_reason),
      })),
      usage: convertOpenAiCompatibleUsage(body.usage),
    };
  }

  async chatStream(options: ProviderCallOptions<ChatRequest>): Promise<AsyncIterable<StreamPart>> {
    const response = await this.post(options, '/chat/completions', true);
    return this.streamParts(response, options.signal);
  }

  async embed(options: ProviderCallOptions<EmbeddingRequest>): Promise<EmbeddingResult> {
    if (!this.preset.supportsEmbeddings) {
      throw new SwitchboardError('invalid_request', `${this.provider} does not offer embeddings through Switchboard`);
    }
    const endpoint = this.endpointFor(this.preset, options.deployment, '/embeddings');
    const { model: _model, ...rest } = options.request;
    const response = await sendUpstream({
      url: endpoint.url,
      headers: endpoint.headers,
      body: JSON.stringify({ ...rest, model: options.deployment.upstreamModel }),
      signal: options.signal,
      headersTimeoutMs: options.deployment.timeoutMs,
      bodyTimeoutMs: options.deployment.timeoutMs,
    });
    const text = await readText(response, options.signal);
    if (response.status >= 400) throw this.errorFrom(response, text);
    const body = JSON.parse(text) as OpenAiEmbeddingResponse;
    const data = [...(body.data ?? [])].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    return {
      model: body.model ?? options.deployment.upstreamModel,
      embeddings: data.map((item) => item.embedding),
      usage: { inputTokens: body.usage?.prompt_tokens ?? 0, raw: body.usage },
    };
  }

  private async post(options: ProviderCallOptions<ChatRequest>, path: '/chat/completions', stream: boolean) {
    const endpoint = this.endpointFor(this.preset, options.deployment, path);
    const { body } = convertToOpenAiCompatibleRequest(options.request, options.deployment.upstreamModel, stream, this.preset);
    const deployment = options.deployment;
    const response = await sendUpstream({
      url: endpoint.url,
      headers: stream ? { ...endpoint.headers, accept: 'text/event-stream' } : endpoint.headers,
      body: JSON.stringify(body),
      signal: options.signal,
      headersTimeoutMs: stream ? (deployment.streamTimeoutMs ?? deployment.timeoutMs) : deployment.timeoutMs,
      // For streams, stream_timeout also bounds the silence between two chunks.
      bodyTimeoutMs: stream ? (deployment.streamTimeoutMs ?? deployment.timeoutMs) : deployment.timeoutMs,
    });
    if (response.status >= 400) throw this.errorFrom(response, await readText(response, options.signal));
    return response;
  }

  private errorFrom(response: UpstreamResponse, text: string): SwitchboardError {
    return openAiCompatibleError(
      this.provider,
      response.status,
      text,
      headerValue(response.headers, 'retry-after'),
      headerValue(response.headers, 'retry-after-ms'),
    );
  }

  private async *streamParts(response: UpstreamResponse, signal: AbortSignal): AsyncGenerator<StreamPart> {
    const transformer = new OpenAiCompatibleStreamTransformer(this.provider);
    try {
      for await (const event of readSseEvents(response.body)) {
        for (const part of transformer.transform(event)) yield part;
        if (transformer.isDone) break;
      }
    } catch (error) {
      yield { type: 'error', error: networkError(error, signal).toPayload() };
    } finally {
      if (!response.body.destroyed) response.body.destroy();
    }
  }
}
