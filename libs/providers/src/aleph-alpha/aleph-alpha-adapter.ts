import { headerValue, postUpstream, readSseEvents, readText, streamParts, withWarnings, parseUpstreamJson } from '@switchboard/provider-utils';
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
import { alephAlphaEndpoint, alephAlphaPreset, usesAlephAlphaComplete } from './aleph-alpha-api';
import type { AlephAlphaCompletionResponse, AlephAlphaSemanticEmbedResponse } from './aleph-alpha-api-schemas';
import { alephAlphaError } from './aleph-alpha-error';
import { AlephAlphaStreamTransformer } from './aleph-alpha-stream-transformer';
import { convertAlephAlphaUsage } from './convert-aleph-alpha-usage';
import { convertToAlephAlphaChatRequest, convertToAlephAlphaCompleteRequest } from './convert-to-aleph-alpha-request';
import { mapAlephAlphaFinishReason } from './map-aleph-alpha-finish-reason';

const representations = new Set(['symmetric', 'document', 'query']);

/**
 * Aleph Alpha: chat through its documented OpenAI-compatible `/chat/completions` (the shared
 * adapter with a request it accepts), `/complete` for deployments that ask for it, and
 * `/semantic_embed` for embeddings.
 */
export class AlephAlphaAdapter implements ProviderAdapter {
  readonly provider = 'aleph_alpha';
  private readonly openAiCompatible = new OpenAiCompatibleAdapter(alephAlphaPreset);

  async chat(options: ProviderCallOptions<ChatRequest>): Promise<ChatResult> {
    if (usesAlephAlphaComplete(options.deployment)) return this.complete(options);
    const { request, warnings } = convertToAlephAlphaChatRequest(options.request);
    const result = await this.openAiCompatible.chat({ ...options, request });
    return warnings.length ? { ...result, warnings: [...(result.warnings ?? []), ...warnings] } : result;
  }

  async chatStream(options: ProviderCallOptions<ChatRequest>): Promise<AsyncIterable<StreamPart>> {
    if (usesAlephAlphaComplete(options.deployment)) {
      const { body, warnings } = convertToAlephAlphaCompleteRequest(options.request, options.deployment.upstreamModel, true);
      const response = await this.post(options, '/complete', body, true);
      const transformer = new AlephAlphaStreamTransformer(`chatcmpl-${options.requestId}`, options.deployment.upstreamModel, warnings);
      return streamParts(response, readSseEvents(response.body), (event) => transformer.transform(event), options.signal, {
        isDone: () => transformer.isDone,
      });
    }
    const { request, warnings } = convertToAlephAlphaChatRequest(options.request);
    return withWarnings(await this.openAiCompatible.chatStream({ ...options, request }), warnings);
  }

  /** One `/semantic_embed` call per input, in parallel (https://docs.aleph-alpha.com, SemanticEmbeddingRequest). */
  async embed(options: ProviderCallOptions<EmbeddingRequest>): Promise<EmbeddingResult> {
    const { input, dimensions, input_type: inputType } = options.request;
    const inputs = typeof input === 'string' ? [input] : input;
    if (!inputs.every((item): item is string => typeof item === 'string')) {
      throw new SwitchboardError('invalid_request', 'aleph_alpha embeds text; token arrays are not supported', { param: 'input' });
    }
    if (dimensions != null && dimensions !== 128) {
      throw new SwitchboardError('invalid_request', 'aleph_alpha embeddings come in full size or compressed to 128 dimensions', { param: 'dimensions' });
    }
    const representation = typeof inputType === 'string' && representations.has(inputType) ? inputType : 'symmetric';
    const answers = await Promise.all(
      inputs.map(async (text) => {
        const body = {
          model: options.deployment.upstreamModel,
          prompt: [{ type: 'text', data: text }],
          representation,
          ...(dimensions === 128 ? { compress_to_size: 128 } : {}),
        };
        const response = await this.post(options, '/semantic_embed', body, false);
        return parseUpstreamJson<AlephAlphaSemanticEmbedResponse>(await readText(response, options.signal), 'aleph_alpha');
      }),
    );
    return {
      model: options.deployment.upstreamModel,
      embeddings: answers.map((answer) => answer.embedding ?? []),
      usage: { inputTokens: answers.reduce((sum, answer) => sum + (answer.num_tokens_prompt_total ?? 0), 0), raw: { representation } },
    };
  }

  private async complete(options: ProviderCallOptions<ChatRequest>): Promise<ChatResult> {
    const { body, warnings } = convertToAlephAlphaCompleteRequest(options.request, options.deployment.upstreamModel, false);
    const response = await this.post(options, '/complete', body, false);
    const parsed = parseUpstreamJson<AlephAlphaCompletionResponse>(await readText(response, options.signal), 'aleph_alpha');
    const result: ChatResult = {
      id: `chatcmpl-${options.requestId}`,
      model: options.deployment.upstreamModel,
      created: Math.floor(Date.now() / 1000),
      choices: (parsed.completions ?? []).map((completion, index) => ({
        index,
        message: { role: 'assistant', content: (completion.completion ?? '').replace(/^\s+/, '') },
        finishReason: mapAlephAlphaFinishReason(completion.finish_reason),
      })),
      usage: convertAlephAlphaUsage(parsed),
    };
    return warnings.length ? { ...result, warnings } : result;
  }

  private post(options: ProviderCallOptions<unknown>, path: '/complete' | '/semantic_embed', body: unknown, stream: boolean): Promise<UpstreamResponse> {
    const endpoint = alephAlphaEndpoint(options.deployment, path);
    return postUpstream({
      url: endpoint.url,
      headers: stream ? { ...endpoint.headers, accept: 'text/event-stream' } : endpoint.headers,
      body,
      deployment: options.deployment,
      signal: options.signal,
      stream,
      toError: (status, text, headers) => alephAlphaError(status, text, headerValue(headers, 'retry-after')),
    });
  }
}
