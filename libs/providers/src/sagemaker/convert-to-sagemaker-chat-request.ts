import type { ChatRequest } from '@switchboard/spec';
import { convertToOpenAiCompatibleRequest } from '../openai-compatible/convert-to-openai-compatible-request';
import type { ConvertedRequest } from '../openai-compatible/convert-to-openai-compatible-request';
import type { OpenAiCompatiblePreset } from '../openai-compatible/openai-compatible-presets';

/**
 * What `sagemaker_chat` sends: TGI's Messages API (OpenAI chat completions) behind the same
 * `/invocations` routes. TGI documents `max_tokens` only, so `max_completion_tokens` is sent as it.
 * https://huggingface.co/docs/text-generation-inference/messages_api
 */
const sagemakerChatPreset: OpenAiCompatiblePreset = {
  provider: 'sagemaker_chat',
  requiresApiKey: false,
  supportsEmbeddings: false,
  quirks: { maxTokensOnly: true },
};

/**
 * The OpenAI chat body with `model` set to the endpoint name (TGI requires the field and ignores
 * its value); a stream asks for `stream_options.include_usage`, and usage is estimated when the
 * container sends none.
 */
export function convertToSagemakerChatRequest(request: ChatRequest, endpointName: string, stream: boolean): ConvertedRequest {
  return convertToOpenAiCompatibleRequest(request, endpointName, stream, sagemakerChatPreset);
}
