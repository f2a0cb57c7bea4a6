import { promptTextOf, readSseEvents, readText, streamParts } from '@switchboard/provider-utils';
import type { ChatRequest, ChatResult, ProviderAdapter, ProviderCallOptions, StreamPart } from '@switchboard/spec';
import { convertSagemakerChatResponse } from './convert-sagemaker-response';
import { convertToSagemakerChatRequest } from './convert-to-sagemaker-chat-request';
import { SagemakerChatStreamTransformer } from './sagemaker-chat-stream-transformer';
import { invokeSagemakerEndpoint, readPayloadParts } from './sagemaker-invoke';

/**
 * `sagemaker_chat/<endpoint-name>`: a SageMaker endpoint whose container speaks OpenAI's chat
 * completions on `/invocations` (TGI's Messages API, vLLM / LMI containers). The body is the
 * OpenAI one; a stream is OpenAI chunks as SSE inside the AWS event stream's PayloadParts.
 * docs/providers/sagemaker.md
 */
export class SagemakerChatAdapter implements ProviderAdapter {
  readonly provider = 'sagemaker_chat';

  async chat(options: ProviderCallOptions<ChatRequest>): Promise<ChatResult> {
    const { body, warnings } = convertToSagemakerChatRequest(options.request, options.deployment.upstreamModel, false);
    const response = await invokeSagemakerEndpoint(options, body, false);
    const result = convertSagemakerChatResponse(
      await readText(response, options.signal),
      `chatcmpl-${options.requestId}`,
      options.deployment.upstreamModel,
      promptTextOf(options.request.messages),
    );
    return warnings.length ? { ...result, warnings } : result;
  }

  async chatStream(options: ProviderCallOptions<ChatRequest>): Promise<AsyncIterable<StreamPart>> {
    const { body, warnings } = convertToSagemakerChatRequest(options.request, options.deployment.upstreamModel, true);
    const response = await invokeSagemakerEndpoint(options, body, true);
    const transformer = new SagemakerChatStreamTransformer(`chatcmpl-${options.requestId}`, promptTextOf(options.request.messages));
    const events = readSseEvents(readPayloadParts(response.body, this.provider));
    return streamParts(response, events, (event) => transformer.transform(event), options.signal, {
      warnings,
      isDone: () => transformer.isDone,
      finish: () => transformer.finish(),
    });
  }
}
