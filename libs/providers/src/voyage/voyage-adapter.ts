import { headerValue, readText, sendUpstream, parseUpstreamJson } from '@switchboard/provider-utils';
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
import { voyageEmbeddingsEndpoint } from './voyage-api';
import type { VoyageEmbeddingsResponse } from './voyage-api-schemas';
import { voyageError } from './voyage-error';
import { convertToVoyageRequest } from './convert-to-voyage-request';

/** Voyage AI offers embeddings (and reranking) only; chat is refused before any call. */
export class VoyageAdapter implements ProviderAdapter {
  readonly provider = 'voyage';

  async chat(_options: ProviderCallOptions<ChatRequest>): Promise<ChatResult> {
    throw chatRefused();
  }

  async chatStream(_options: ProviderCallOptions<ChatRequest>): Promise<AsyncIterable<StreamPart>> {
    throw chatRefused();
  }

  async embed(options: ProviderCallOptions<EmbeddingRequest>): Promise<EmbeddingResult> {
    const { deployment, signal } = options;
    const endpoint = voyageEmbeddingsEndpoint(deployment);
    const response = await sendUpstream({
      url: endpoint.url,
      headers: endpoint.headers,
      body: JSON.stringify(convertToVoyageRequest(options.request, deployment.upstreamModel)),
      signal,
      headersTimeoutMs: deployment.timeoutMs,
      bodyTimeoutMs: deployment.timeoutMs,
    });
    const text = await readText(response, signal);
    if (response.status >= 400) throw voyageError(response.status, text, headerValue(response.headers, 'retry-after'));
    const body = parseUpstreamJson<VoyageEmbeddingsResponse>(text, 'voyage');
    const data = [...(body.data ?? [])].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    return {
      model: body.model ?? deployment.upstreamModel,
      embeddings: data.map((item) => item.embedding),
      usage: { inputTokens: body.usage?.total_tokens ?? 0, raw: body.usage },
    };
  }
}

function chatRefused(): SwitchboardError {
  return new SwitchboardError('invalid_request', 'voyage offers embeddings only', { retryable: false });
}
