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
import { mistralEndpoint } from './mistral-api';
import type { MistralCompletion, MistralEmbeddingResponse } from './mistral-api-schemas';
import { mistralError } from './mistral-error';
import { MistralStreamTransformer } from './mistral-stream-transformer';
import { convertMistralResponse } from './convert-mistral-response';
import { convertToMistralRequest } from './convert-to-mistral-request';

/** Mistral La Plateforme: the OpenAI-compatible pieces plus Mistral's quirks. */
export class MistralAdapter implements ProviderAdapter {
  readonly provider = 'mistral';

  async chat(options: ProviderCallOptions<ChatRequest>): Promise<ChatResult> {
    const { body, warnings } = convertToMistralRequest(options.request, options.deployment.upstreamModel, false, options.deployment.params);
    const response = await this.post(options, '/chat/completions', body, false);
    const parsed = parseUpstreamJson<MistralCompletion>(await readText(response, options.signal), 'mistral');
    const result = convertMistralResponse(parsed, `chatcmpl-${options.requestId}`, options.deployment.upstreamModel);
    return warnings.length ? { ...result, warnings } : result;
  }

  async chatStream(options: ProviderCallOptions<ChatRequest>): Promise<AsyncIterable<StreamPart>> {
    const { body, warnings } = convertToMistralRequest(options.request, options.deployment.upstreamModel, true, options.deployment.params);
    const response = await this.post(options, '/chat/completions', body, true);
    return this.streamParts(response, options.signal, warnings);
  }

  /** https://docs.mistral.ai/api/#tag/embeddings: only documented fields are sent (Mistral rejects others). */
  async embed(options: ProviderCallOptions<EmbeddingRequest>): Promise<EmbeddingResult> {
    // Floats always (no encoding_format): the OpenAI edge encodes them as base64 when the client asked.
    const { input, dimensions } = options.request;
    const body: Record<string, unknown> = { model: options.deployment.upstreamModel, input };
    if (dimensions != null) body.output_dimension = dimensions;
    if (typeof options.request.output_dtype === 'string') body.output_dtype = options.request.output_dtype;
    const response = await this.post(options, '/embeddings', body, false);
    const parsed = parseUpstreamJson<MistralEmbeddingResponse>(await readText(response, options.signal), 'mistral');
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
    const endpoint = mistralEndpoint(deployment, path);
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
      throw mistralError(response.status, await readText(response, signal), headerValue(response.headers, 'retry-after'));
    }
    return response;
  }

  private async *streamParts(response: UpstreamResponse, signal: AbortSignal, warnings: string[]): AsyncGenerator<StreamPart> {
    const transformer = new MistralStreamTransformer();
    let pendingWarnings = warnings;
    try {
      for await (const event of readSseEvents(response.body)) {
        for (const part of transformer.transform(event)) {
          yield part;
          if (part.type === 'response-metadata' && pendingWarnings.length) {
            for (const message of pendingWarnings) yield { type: 'warning', message };
            pendingWarnings = [];
          }
        }
        if (transformer.isDone) break;
      }
    } catch (error) {
      yield { type: 'error', error: networkError(error, signal).toPayload() };
    } finally {
      if (!response.body.destroyed) response.body.destroy();
    }
  }
}
