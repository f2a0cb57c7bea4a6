import { headerValue, postUpstream, readSseEvents, readText, streamParts, parseUpstreamJson } from '@switchboard/provider-utils';
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
import { convertOpenAiCompatibleToolCalls } from './convert-openai-compatible-choices';
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
    const body = parseUpstreamJson<OpenAiCompletion>(text, this.provider);
    return {
      id: body.id ?? `chatcmpl-${options.requestId}`,
      model: body.model ?? options.deployment.upstreamModel,
      created: body.created ?? Math.floor(Date.now() / 1000),
      systemFingerprint: body.system_fingerprint ?? undefined,
      serviceTier: body.service_tier ?? undefined,
      choices: (body.choices ?? []).map((choice, position) => {
        const toolCalls = convertOpenAiCompatibleToolCalls(choice.message?.tool_calls);
        return {
          index: choice.index ?? position,
          message: {
            role: 'assistant',
            content: choice.message?.content ?? null,
            reasoningContent: choice.message?.reasoning_content ?? choice.message?.reasoning ?? undefined,
            refusal: choice.message?.refusal ?? undefined,
            toolCalls: toolCalls.length ? toolCalls : undefined,
          },
          finishReason: mapOpenAiCompatibleFinishReason(choice.finish_reason),
        };
      }),
      usage: convertOpenAiCompatibleUsage(body.usage),
    };
  }

  async chatStream(options: ProviderCallOptions<ChatRequest>): Promise<AsyncIterable<StreamPart>> {
    const response = await this.post(options, '/chat/completions', true);
    const transformer = new OpenAiCompatibleStreamTransformer(this.provider);
    return streamParts(response, readSseEvents(response.body), (event) => transformer.transform(event), options.signal, { isDone: () => transformer.isDone });
  }

  async embed(options: ProviderCallOptions<EmbeddingRequest>): Promise<EmbeddingResult> {
    if (!this.preset.supportsEmbeddings) {
      throw new SwitchboardError('invalid_request', `${this.provider} does not offer embeddings through Switchboard`);
    }
    const endpoint = this.endpointFor(this.preset, options.deployment, '/embeddings');
    const { model: _model, ...rest } = options.request;
    const response = await postUpstream({
      url: endpoint.url,
      headers: endpoint.headers,
      body: { ...rest, model: options.deployment.upstreamModel },
      deployment: options.deployment,
      signal: options.signal,
      stream: false,
      toError: (status, text, headers) => this.errorFrom(status, text, headers),
    });
    const text = await readText(response, options.signal);
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
    return postUpstream({
      url: endpoint.url,
      headers: stream ? { ...endpoint.headers, accept: 'text/event-stream' } : endpoint.headers,
      body,
      deployment: options.deployment,
      signal: options.signal,
      stream,
      toError: (status, text, headers) => this.errorFrom(status, text, headers),
    });
  }

  private errorFrom(status: number, text: string, headers: UpstreamResponse['headers']): SwitchboardError {
    return openAiCompatibleError(this.provider, status, text, headerValue(headers, 'retry-after'), headerValue(headers, 'retry-after-ms'));
  }
}
