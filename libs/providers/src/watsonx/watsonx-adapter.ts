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
import { watsonxModelScope, watsonxUrl } from './watsonx-api';
import type { WatsonxOperation } from './watsonx-api';
import type { WatsonxChatResponse, WatsonxEmbeddingResponse } from './watsonx-api-schemas';
import { watsonxError } from './watsonx-error';
import { forgetWatsonxToken, watsonxBearer } from './watsonx-iam-token';
import type { WatsonxBearer } from './watsonx-iam-token';
import { WatsonxStreamTransformer } from './watsonx-stream-transformer';
import { convertWatsonxResponse } from './convert-watsonx-response';
import { convertToWatsonxRequest } from './convert-to-watsonx-request';

/**
 * IBM watsonx.ai: chat (/ml/v1/text/chat), streamed chat (/ml/v1/text/chat_stream, SSE) and
 * embeddings (/ml/v1/text/embeddings), with a bearer token from IBM Cloud IAM
 * (https://cloud.ibm.com/apidocs/watsonx-ai#text-chat).
 */
export class WatsonxAdapter implements ProviderAdapter {
  readonly provider = 'watsonx';

  async chat(options: ProviderCallOptions<ChatRequest>): Promise<ChatResult> {
    const { body, warnings } = convertToWatsonxRequest(options.request, options.deployment);
    const response = await this.post(options, 'chat', body, false);
    const parsed = parseUpstreamJson<WatsonxChatResponse>(await readText(response, options.signal), 'watsonx');
    const result = convertWatsonxResponse(parsed, `chatcmpl-${options.requestId}`, options.deployment.upstreamModel);
    const allWarnings = [...warnings, ...(result.warnings ?? [])];
    return allWarnings.length ? { ...result, warnings: allWarnings } : result;
  }

  async chatStream(options: ProviderCallOptions<ChatRequest>): Promise<AsyncIterable<StreamPart>> {
    const { body, warnings } = convertToWatsonxRequest(options.request, options.deployment);
    const response = await this.post(options, 'chat_stream', body, true);
    const transformer = new WatsonxStreamTransformer(warnings);
    return streamParts(response, readSseEvents(response.body), (event) => transformer.transform(event), options.signal, {
      isDone: () => transformer.isDone,
    });
  }

  async embed(options: ProviderCallOptions<EmbeddingRequest>): Promise<EmbeddingResult> {
    const { input } = options.request;
    const inputs = typeof input === 'string' ? [input] : input;
    if (!inputs.every((item): item is string => typeof item === 'string')) {
      throw new SwitchboardError('invalid_request', 'watsonx embeds text; token arrays are not supported', { param: 'input' });
    }
    const truncate = options.request.truncate_input_tokens;
    const body = {
      inputs,
      ...watsonxModelScope(options.deployment),
      ...(typeof truncate === 'number' ? { parameters: { truncate_input_tokens: truncate } } : {}),
    };
    const response = await this.post(options, 'embeddings', body, false);
    const parsed = parseUpstreamJson<WatsonxEmbeddingResponse>(await readText(response, options.signal), 'watsonx');
    return {
      model: parsed.model_id ?? options.deployment.upstreamModel,
      embeddings: (parsed.results ?? []).map((result) => result.embedding),
      usage: { inputTokens: parsed.input_token_count ?? 0, raw: { input_token_count: parsed.input_token_count } },
    };
  }

  /** One call; a cached IAM token that watsonx refuses (401) is exchanged again and the call sent once more. */
  private async post(options: ProviderCallOptions<unknown>, operation: WatsonxOperation, body: unknown, stream: boolean): Promise<UpstreamResponse> {
    const send = (bearer: WatsonxBearer) =>
      postUpstream({
        url: watsonxUrl(options.deployment, operation),
        headers: {
          'content-type': 'application/json',
          accept: stream ? 'text/event-stream' : 'application/json',
          authorization: `Bearer ${bearer.token}`,
        },
        body,
        deployment: options.deployment,
        signal: options.signal,
        stream,
        toError: (status, text, headers) => watsonxError(status, text, headerValue(headers, 'retry-after')),
      });
    const bearer = await watsonxBearer(options.deployment, options.signal);
    try {
      return await send(bearer);
    } catch (error) {
      if (!bearer.exchanged || !(error instanceof SwitchboardError) || error.code !== 'authentication') throw error;
      forgetWatsonxToken(options.deployment);
      return send(await watsonxBearer(options.deployment, options.signal));
    }
  }
}
