import { headerValue, networkError, postUpstream, readSseEvents, readText, parseUpstreamJson } from '@switchboard/provider-utils';
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
import { cohereEndpoint } from './cohere-api';
import type { CohereChatResponse, CohereEmbedResponse } from './cohere-api-schemas';
import { cohereError } from './cohere-error';
import { CohereStreamTransformer } from './cohere-stream-transformer';
import { convertCohereResponse } from './convert-cohere-response';
import { convertToCohereEmbedRequest } from './convert-to-cohere-embed-request';
import { convertToCohereRequest } from './convert-to-cohere-request';

/** Cohere's native v2 Chat and Embed APIs. */
export class CohereAdapter implements ProviderAdapter {
  readonly provider = 'cohere';

  async chat(options: ProviderCallOptions<ChatRequest>): Promise<ChatResult> {
    const { body, warnings } = convertToCohereRequest(options.request, options.deployment.upstreamModel, false);
    const response = await this.post(options, '/v2/chat', body, false);
    const parsed = parseUpstreamJson<CohereChatResponse>(await readText(response, options.signal), 'cohere');
    const result = convertCohereResponse(parsed, `chatcmpl-${options.requestId}`, options.deployment.upstreamModel);
    return warnings.length ? { ...result, warnings } : result;
  }

  async chatStream(options: ProviderCallOptions<ChatRequest>): Promise<AsyncIterable<StreamPart>> {
    const { body, warnings } = convertToCohereRequest(options.request, options.deployment.upstreamModel, true);
    const response = await this.post(options, '/v2/chat', body, true);
    return this.streamParts(response, options, warnings);
  }

  async embed(options: ProviderCallOptions<EmbeddingRequest>): Promise<EmbeddingResult> {
    const body = convertToCohereEmbedRequest(options.request, options.deployment.upstreamModel);
    const response = await this.post(options, '/v2/embed', body, false);
    const parsed = parseUpstreamJson<CohereEmbedResponse>(await readText(response, options.signal), 'cohere');
    const embeddings = parsed.embeddings?.float ?? [];
    return {
      model: options.deployment.upstreamModel,
      embeddings,
      usage: { inputTokens: parsed.meta?.billed_units?.input_tokens ?? 0, raw: parsed.meta },
    };
  }

  private async post(
    options: ProviderCallOptions<unknown>,
    path: '/v2/chat' | '/v2/embed',
    body: unknown,
    stream: boolean,
  ): Promise<UpstreamResponse> {
    const endpoint = cohereEndpoint(options.deployment, path);
    return postUpstream({
      url: endpoint.url,
      headers: stream ? { ...endpoint.headers, accept: 'text/event-stream' } : endpoint.headers,
      body,
      deployment: options.deployment,
      signal: options.signal,
      stream,
      toError: (status, text, headers) => cohereError(status, text, headerValue(headers, 'retry-after')),
    });
  }

  private async *streamParts(
    response: UpstreamResponse,
    options: ProviderCallOptions<ChatRequest>,
    warnings: string[],
  ): AsyncGenerator<StreamPart> {
    const transformer = new CohereStreamTransformer(options.deployment.upstreamModel);
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
      yield { type: 'error', error: networkError(error, options.signal).toPayload() };
    } finally {
      if (!response.body.destroyed) response.body.destroy();
    }
  }
}
