import { headerValue, networkError, readSseEvents, readText, sendUpstream, parseUpstreamJson } from '@switchboard/provider-utils';
import type { UpstreamResponse } from '@switchboard/provider-utils';
import type {
  ChatRequest,
  ChatResult,
  EmbeddingRequest,
  EmbeddingResult,
  ProviderAdapter,
  ProviderCallOptions,
  StreamPart,
} from '@switchboard/spec';
import { convertToOpenAiCompatibleRequest } from '../openai-compatible/convert-to-openai-compatible-request';
import type { OpenAiEmbeddingResponse } from '../openai-compatible/openai-compatible-api-schemas';
import { openAiCompatibleEndpoint } from '../openai-compatible/openai-compatible-api';
import { cloudflareBaseUrl, cloudflarePreset } from './cloudflare-api';
import type { CloudflareCompletion } from './cloudflare-api-schemas';
import { cloudflareError } from './cloudflare-error';
import { CloudflareStreamTransformer } from './cloudflare-stream-transformer';
import { convertCloudflareResponse } from './convert-cloudflare-response';

/** Cloudflare Workers AI through its OpenAI-compatible endpoints (see cloudflare-api.ts). */
export class CloudflareAdapter implements ProviderAdapter {
  readonly provider = 'cloudflare';

  async chat(options: ProviderCallOptions<ChatRequest>): Promise<ChatResult> {
    const { body, warnings } = convertToOpenAiCompatibleRequest(options.request, options.deployment.upstreamModel, false, cloudflarePreset);
    const response = await this.post(options, '/chat/completions', body, false);
    const parsed = parseUpstreamJson<CloudflareCompletion>(await readText(response, options.signal), 'cloudflare');
    const result = convertCloudflareResponse(parsed, `chatcmpl-${options.requestId}`, options.deployment.upstreamModel);
    return warnings.length ? { ...result, warnings } : result;
  }

  async chatStream(options: ProviderCallOptions<ChatRequest>): Promise<AsyncIterable<StreamPart>> {
    const { body } = convertToOpenAiCompatibleRequest(options.request, options.deployment.upstreamModel, true, cloudflarePreset);
    const response = await this.post(options, '/chat/completions', body, true);
    return this.streamParts(response, options.signal);
  }

  async embed(options: ProviderCallOptions<EmbeddingRequest>): Promise<EmbeddingResult> {
    // Floats always: the OpenAI edge encodes base64 itself when the client asked for it.
    const { input, dimensions } = options.request;
    const body: Record<string, unknown> = { model: options.deployment.upstreamModel, input };
    if (dimensions != null) body.dimensions = dimensions;
    const response = await this.post(options, '/embeddings', body, false);
    const parsed = parseUpstreamJson<OpenAiEmbeddingResponse>(await readText(response, options.signal), 'cloudflare');
    const data = [...(parsed.data ?? [])].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    return {
      model: parsed.model ?? options.deployment.upstreamModel,
      embeddings: data.map((item) => item.embedding),
      usage: { inputTokens: parsed.usage?.prompt_tokens ?? parsed.usage?.total_tokens ?? 0, raw: parsed.usage },
    };
  }

  private async post(
    options: ProviderCallOptions<unknown>,
    path: '/chat/completions' | '/embeddings',
    body: unknown,
    stream: boolean,
  ): Promise<UpstreamResponse> {
    const { deployment, signal } = options;
    const endpoint = openAiCompatibleEndpoint(cloudflarePreset, { ...deployment, apiBase: cloudflareBaseUrl(deployment) }, path);
    const timeoutMs = stream ? (deployment.streamTimeoutMs ?? deployment.timeoutMs) : deployment.timeoutMs;
    const response = await sendUpstream({
      url: endpoint.url,
      headers: stream ? { ...endpoint.headers, accept: 'text/event-stream' } : endpoint.headers,
      body: JSON.stringify(body),
      signal,
      headersTimeoutMs: timeoutMs,
      // For streams, stream_timeout also bounds the silence between two chunks.
      bodyTimeoutMs: timeoutMs,
    });
    if (response.status >= 400) {
      throw cloudflareError(response.status, await readText(response, signal), headerValue(response.headers, 'retry-after'));
    }
    return response;
  }

  private async *streamParts(response: UpstreamResponse, signal: AbortSignal): AsyncGenerator<StreamPart> {
    const transformer = new CloudflareStreamTransformer();
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
