import { networkError, postUpstream, readJsonLines, readText, parseUpstreamJson } from '@switchboard/provider-utils';
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
import { ollamaEndpoint } from './ollama-api';
import type { OllamaChatChunk, OllamaEmbedResponse } from './ollama-api-schemas';
import { ollamaError } from './ollama-error';
import { OllamaStreamTransformer } from './ollama-stream-transformer';
import { convertOllamaResponse } from './convert-ollama-response';
import { convertToOllamaRequest } from './convert-to-ollama-request';

/**
 * Ollama's native API (`/api/chat`, `/api/embed`). Registered as `ollama` and `ollama_chat`
 * (LiteLLM's two names for it).
 */
export class OllamaAdapter implements ProviderAdapter {
  constructor(readonly provider: string = 'ollama') {}

  async chat(options: ProviderCallOptions<ChatRequest>): Promise<ChatResult> {
    const { body, warnings } = convertToOllamaRequest(options.request, options.deployment.upstreamModel, false, options.deployment.params);
    const response = await this.post(options, '/api/chat', body, false);
    const parsed = parseUpstreamJson<OllamaChatChunk>(await readText(response, options.signal), this.provider);
    if (typeof parsed.error === 'string') throw ollamaError(this.provider, 500, JSON.stringify(parsed));
    const result = convertOllamaResponse(parsed, `chatcmpl-${options.requestId}`, options.deployment.upstreamModel);
    return warnings.length ? { ...result, warnings } : result;
  }

  async chatStream(options: ProviderCallOptions<ChatRequest>): Promise<AsyncIterable<StreamPart>> {
    const { body, warnings } = convertToOllamaRequest(options.request, options.deployment.upstreamModel, true, options.deployment.params);
    const response = await this.post(options, '/api/chat', body, true);
    return this.streamParts(response, options, warnings);
  }

  async embed(options: ProviderCallOptions<EmbeddingRequest>): Promise<EmbeddingResult> {
    const { input, dimensions } = options.request;
    if (Array.isArray(input) && !input.every((item) => typeof item === 'string')) {
      throw new SwitchboardError('invalid_request', `${this.provider} embeds text only; token arrays are not accepted`, { param: 'input' });
    }
    const body: Record<string, unknown> = { model: options.deployment.upstreamModel, input };
    if (dimensions != null) body.dimensions = dimensions;
    const keepAlive = options.deployment.params.keep_alive;
    if (typeof keepAlive === 'string' || typeof keepAlive === 'number') body.keep_alive = keepAlive;
    const response = await this.post(options, '/api/embed', body, false);
    const parsed = parseUpstreamJson<OllamaEmbedResponse>(await readText(response, options.signal), this.provider);
    return {
      model: parsed.model ?? options.deployment.upstreamModel,
      embeddings: parsed.embeddings ?? [],
      usage: { inputTokens: parsed.prompt_eval_count ?? 0, raw: { prompt_eval_count: parsed.prompt_eval_count } },
    };
  }

  private async post(
    options: ProviderCallOptions<unknown>,
    path: '/api/chat' | '/api/embed',
    body: unknown,
    stream: boolean,
  ): Promise<UpstreamResponse> {
    const endpoint = ollamaEndpoint(options.deployment, path);
    return postUpstream({
      url: endpoint.url,
      headers: stream ? { ...endpoint.headers, accept: 'application/x-ndjson' } : endpoint.headers,
      body,
      deployment: options.deployment,
      signal: options.signal,
      stream,
      toError: (status, text) => ollamaError(this.provider, status, text),
    });
  }

  private async *streamParts(
    response: UpstreamResponse,
    options: ProviderCallOptions<ChatRequest>,
    warnings: string[],
  ): AsyncGenerator<StreamPart> {
    const transformer = new OllamaStreamTransformer(this.provider, `chatcmpl-${options.requestId}`);
    let pendingWarnings = warnings;
    try {
      for await (const chunk of readJsonLines<OllamaChatChunk>(response.body)) {
        for (const part of transformer.transform(chunk)) {
          yield part;
          if (part.type === 'response-metadata' && pendingWarnings.length) {
            for (const message of pendingWarnings) yield { type: 'warning', message };
            pendingWarnings = [];
          }
        }
        if (transformer.isDone) break;
      }
    } catch (error) {
      const failure = error instanceof SyntaxError ? new SwitchboardError('upstream_error', `${this.provider} sent a malformed stream line`) : error;
      yield { type: 'error', error: networkError(failure, options.signal).toPayload() };
    } finally {
      if (!response.body.destroyed) response.body.destroy();
    }
  }

}
