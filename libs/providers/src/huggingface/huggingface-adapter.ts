import { headerValue, readText, sendUpstream, parseUpstreamJson } from '@switchboard/provider-utils';
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
import { huggingFaceChatBase, huggingFaceFeatureExtractionEndpoint, huggingFacePreset } from './huggingface-api';
import { convertFeatureExtractionResponse, convertToFeatureExtractionRequest } from './convert-huggingface-embeddings';

/**
 * Hugging Face: chat through the Inference Providers router or a TGI endpoint (both OpenAI
 * compatible, so the shared adapter does the work), embeddings through feature extraction.
 */
export class HuggingFaceAdapter implements ProviderAdapter {
  readonly provider = 'huggingface';
  private readonly openAiCompatible = new OpenAiCompatibleAdapter(huggingFacePreset);

  async chat(options: ProviderCallOptions<ChatRequest>): Promise<ChatResult> {
    return this.openAiCompatible.chat(this.withChatBase(options));
  }

  async chatStream(options: ProviderCallOptions<ChatRequest>): Promise<AsyncIterable<StreamPart>> {
    return this.openAiCompatible.chatStream(this.withChatBase(options));
  }

  async embed(options: ProviderCallOptions<EmbeddingRequest>): Promise<EmbeddingResult> {
    const { deployment, signal, request } = options;
    const endpoint = huggingFaceFeatureExtractionEndpoint(deployment);
    const response = await sendUpstream({
      url: endpoint.url,
      headers: endpoint.headers,
      body: JSON.stringify(convertToFeatureExtractionRequest(request)),
      signal,
      headersTimeoutMs: deployment.timeoutMs,
      bodyTimeoutMs: deployment.timeoutMs,
    });
    const text = await readText(response, signal);
    if (response.status >= 400) {
      throw openAiCompatibleError(this.provider, response.status, text, headerValue(response.headers, 'retry-after'));
    }
    const output = parseUpstreamJson<unknown>(text, 'huggingface');
    // Feature extraction reports no token counts.
    return { model: deployment.upstreamModel, embeddings: convertFeatureExtractionResponse(output, request.input), usage: { inputTokens: 0 } };
  }

  private withChatBase<Request>(options: ProviderCallOptions<Request>): ProviderCallOptions<Request> {
    return { ...options, deployment: { ...options.deployment, apiBase: huggingFaceChatBase(options.deployment) } };
  }
}
