import { headerValue, postUpstream, promptTextOf, readSseEvents, readText, readTextChunks, streamParts } from '@switchboard/provider-utils';
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
import { OpenAiCompatibleAdapter } from '../openai-compatible/openai-compatible-adapter';
import { openAiCompatibleError } from '../openai-compatible/openai-compatible-error';
import { OpenAiCompatibleStreamTransformer } from '../openai-compatible/openai-compatible-stream-transformer';
import { basetenEndpoint, basetenPredictEndpoint, basetenPreset, isBasetenPredictUrl } from './baseten-api';
import { BasetenPredictStreamTransformer } from './baseten-predict-stream-transformer';
import { convertBasetenPredictResponse } from './convert-baseten-predict-response';
import { convertToBasetenPredictRequest } from './convert-to-baseten-predict-request';

/**
 * Baseten: Model APIs and dedicated deployments' OpenAI-compatible routes go through the shared
 * OpenAI-compatible adapter; an `api_base` ending in `/predict` is a dedicated deployment's
 * predict endpoint, called here.
 */
export class BasetenAdapter implements ProviderAdapter {
  readonly provider = 'baseten';
  private readonly openAiCompatible = new OpenAiCompatibleAdapter(basetenPreset, basetenEndpoint);

  async chat(options: ProviderCallOptions<ChatRequest>): Promise<ChatResult> {
    if (!isBasetenPredictUrl(options.deployment)) return this.openAiCompatible.chat(options);
    const response = await this.predict(options, false);
    return convertBasetenPredictResponse(
      await readText(response, options.signal),
      `chatcmpl-${options.requestId}`,
      options.deployment.upstreamModel,
      promptTextOf(options.request.messages),
    );
  }

  async chatStream(options: ProviderCallOptions<ChatRequest>): Promise<AsyncIterable<StreamPart>> {
    if (!isBasetenPredictUrl(options.deployment)) return this.openAiCompatible.chatStream(options);
    const response = await this.predict(options, true);
    // A model that streams OpenAI chunks answers with SSE; a Truss generator streams raw text.
    if (headerValue(response.headers, 'content-type')?.includes('text/event-stream')) {
      const transformer = new OpenAiCompatibleStreamTransformer('baseten');
      return streamParts(response, readSseEvents(response.body), (event) => transformer.transform(event), options.signal, {
        isDone: () => transformer.isDone,
      });
    }
    const transformer = new BasetenPredictStreamTransformer(
      `chatcmpl-${options.requestId}`,
      options.deployment.upstreamModel,
      promptTextOf(options.request.messages),
    );
    return streamParts(response, readTextChunks(response.body), (chunk) => transformer.transform(chunk), options.signal, {
      finish: () => transformer.finish(),
    });
  }

  async embed(options: ProviderCallOptions<EmbeddingRequest>): Promise<EmbeddingResult> {
    if (isBasetenPredictUrl(options.deployment)) {
      throw new SwitchboardError('invalid_request', 'baseten embeddings need an OpenAI-compatible api_base (…/sync/v1), not a /predict URL', {
        status: 400,
        retryable: false,
      });
    }
    return this.openAiCompatible.embed(options);
  }

  private predict(options: ProviderCallOptions<ChatRequest>, stream: boolean): Promise<UpstreamResponse> {
    const endpoint = basetenPredictEndpoint(options.deployment);
    const { body } = convertToBasetenPredictRequest(options.request, options.deployment.upstreamModel, stream);
    return postUpstream({
      url: endpoint.url,
      headers: endpoint.headers,
      body,
      deployment: options.deployment,
      signal: options.signal,
      stream,
      toError: (status, text, headers) =>
        openAiCompatibleError('baseten', status, text, headerValue(headers, 'retry-after'), headerValue(headers, 'retry-after-ms')),
    });
  }
}
