import { headerValue, postUpstream, readText, streamParts, parseUpstreamJson } from '@switchboard/provider-utils';
import type { UpstreamResponse } from '@switchboard/provider-utils';
import type { ChatRequest, ChatResult, EmbeddingRequest, EmbeddingResult, ProviderAdapter, ProviderCallOptions, StreamPart, ToolCall } from '@switchboard/spec';
import { bedrockModelId, signedBedrockRequest } from './bedrock-api';
import type { BedrockConverseResponse } from './bedrock-api-schemas';
import { embedWithBedrock } from './bedrock-embeddings';
import { bedrockError } from './bedrock-error';
import { readEventStream } from '../aws/aws-event-stream';
import { BedrockStreamTransformer, convertBedrockUsage } from './bedrock-stream-transformer';
import { convertToBedrockRequest } from './convert-to-bedrock-request';
import { mapBedrockFinishReason } from './map-bedrock-finish-reason';

/**
 * Amazon Bedrock through the Converse / ConverseStream API (one request shape for Anthropic, Llama,
 * Mistral, Titan, Cohere and Nova models), signed with SigV4; embeddings (Titan, Cohere) through
 * InvokeModel (`bedrock-embeddings.ts`).
 */
export class BedrockAdapter implements ProviderAdapter {
  readonly provider = 'bedrock';

  async chat(options: ProviderCallOptions<ChatRequest>): Promise<ChatResult> {
    const { response, warnings } = await this.post(options, 'converse');
    const text = await readText(response, options.signal);
    const body = parseUpstreamJson<BedrockConverseResponse>(text, 'bedrock');
    let content = '';
    let reasoning = '';
    const toolCalls: ToolCall[] = [];
    for (const block of body.output?.message?.content ?? []) {
      if (block.text) content += block.text;
      if (block.reasoningContent?.reasoningText?.text) reasoning += block.reasoningContent.reasoningText.text;
      if (block.toolUse) toolCalls.push({ id: block.toolUse.toolUseId, type: 'function', function: { name: block.toolUse.name, arguments: JSON.stringify(block.toolUse.input ?? {}) } });
    }
    const result: ChatResult = {
      id: `chatcmpl-${options.requestId}`,
      model: bedrockModelId(options.deployment.upstreamModel),
      created: Math.floor(Date.now() / 1000),
      choices: [{ index: 0, message: { role: 'assistant', content: content || (toolCalls.length ? null : ''), reasoningContent: reasoning || undefined, toolCalls: toolCalls.length ? toolCalls : undefined }, finishReason: mapBedrockFinishReason(body.stopReason) }],
      usage: convertBedrockUsage(body.usage),
    };
    return warnings.length ? { ...result, warnings } : result;
  }

  async chatStream(options: ProviderCallOptions<ChatRequest>): Promise<AsyncIterable<StreamPart>> {
    const { response, warnings } = await this.post(options, 'converse-stream');
    const transformer = new BedrockStreamTransformer(options.requestId, bedrockModelId(options.deployment.upstreamModel));
    return streamParts(response, readEventStream(response.body), (event) => transformer.transform(event), options.signal, { warnings });
  }

  async embed(options: ProviderCallOptions<EmbeddingRequest>): Promise<EmbeddingResult> {
    return embedWithBedrock(options);
  }

  /** Sends the request; its conversion warnings (unsupported fields) go back with the answer. */
  private async post(options: ProviderCallOptions<ChatRequest>, action: 'converse' | 'converse-stream'): Promise<{ response: UpstreamResponse; warnings: string[] }> {
    const { body, warnings } = convertToBedrockRequest(options.request);
    const text = JSON.stringify(body);
    const modelId = encodeURIComponent(bedrockModelId(options.deployment.upstreamModel));
    const signed = await signedBedrockRequest(options.deployment, `/model/${modelId}/${action}`, text);
    const response = await postUpstream({
      url: signed.url,
      headers: signed.headers,
      body: text,
      deployment: options.deployment,
      signal: options.signal,
      stream: action === 'converse-stream',
      toError: (status, errorText, headers) => bedrockError(status, headerValue(headers, 'x-amzn-errortype'), errorText),
    });
    return { response, warnings };
  }
}
