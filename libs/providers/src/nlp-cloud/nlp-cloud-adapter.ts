import { estimatedUsage, headerValue, postUpstream, readText, readTextChunks, streamParts, parseUpstreamJson } from '@switchboard/provider-utils';
import type { UpstreamResponse } from '@switchboard/provider-utils';
import type { ChatRequest, ChatResult, ProviderAdapter, ProviderCallOptions, StreamPart, Usage } from '@switchboard/spec';
import { nlpCloudEndpointOf, nlpCloudRequestTarget } from './nlp-cloud-api';
import type { NlpCloudChatbotResponse, NlpCloudGenerationResponse } from './nlp-cloud-api-schemas';
import { nlpCloudError } from './nlp-cloud-error';
import { NlpCloudStreamTransformer } from './nlp-cloud-stream-transformer';
import { convertNlpCloudGenerationUsage } from './convert-nlp-cloud-usage';
import { convertToNlpCloudRequest } from './convert-to-nlp-cloud-request';

/**
 * NLP Cloud: the chatbot endpoint (`{input, context, history}` in, `{response, history}` out,
 * usage estimated), or the generation endpoint (`nlp_cloud_endpoint: generation`, with token
 * counts). Streams are raw text.
 */
export class NlpCloudAdapter implements ProviderAdapter {
  readonly provider = 'nlp_cloud';

  async chat(options: ProviderCallOptions<ChatRequest>): Promise<ChatResult> {
    const endpoint = nlpCloudEndpointOf(options.deployment);
    const { body, promptText, warnings } = convertToNlpCloudRequest(options.request, endpoint, false);
    const response = await this.post(options, body, false);
    const text = await readText(response, options.signal);
    let answer: string;
    let usage: Usage;
    if (endpoint === 'chatbot') {
      answer = parseUpstreamJson<NlpCloudChatbotResponse>(text, 'nlp_cloud').response ?? '';
      // The chatbot endpoint reports no token counts.
      usage = estimatedUsage(promptText, answer);
    } else {
      const parsed = parseUpstreamJson<NlpCloudGenerationResponse>(text, 'nlp_cloud');
      answer = parsed.generated_text ?? '';
      usage = convertNlpCloudGenerationUsage(parsed, promptText);
    }
    return {
      id: `chatcmpl-${options.requestId}`,
      model: options.deployment.upstreamModel,
      created: Math.floor(Date.now() / 1000),
      choices: [{ index: 0, message: { role: 'assistant', content: answer }, finishReason: { unified: 'stop', raw: null } }],
      usage,
      ...(warnings.length ? { warnings } : {}),
    };
  }

  async chatStream(options: ProviderCallOptions<ChatRequest>): Promise<AsyncIterable<StreamPart>> {
    const { body, promptText, warnings } = convertToNlpCloudRequest(options.request, nlpCloudEndpointOf(options.deployment), true);
    const response = await this.post(options, body, true);
    const transformer = new NlpCloudStreamTransformer(`chatcmpl-${options.requestId}`, options.deployment.upstreamModel, promptText, warnings);
    return streamParts(response, readTextChunks(response.body), (chunk) => transformer.transform(chunk), options.signal, {
      finish: () => transformer.finish(),
    });
  }

  private post(options: ProviderCallOptions<ChatRequest>, body: Record<string, unknown>, stream: boolean): Promise<UpstreamResponse> {
    const target = nlpCloudRequestTarget(options.deployment, nlpCloudEndpointOf(options.deployment));
    return postUpstream({
      url: target.url,
      headers: target.headers,
      body,
      deployment: options.deployment,
      signal: options.signal,
      stream,
      toError: (status, text, headers) => nlpCloudError(status, text, headerValue(headers, 'retry-after')),
    });
  }
}
