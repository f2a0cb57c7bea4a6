import type { ChatRequest } from '@switchboard/spec';
import { convertToOpenAiCompatibleRequest } from '../openai-compatible/convert-to-openai-compatible-request';
import type { ConvertedRequest } from '../openai-compatible/convert-to-openai-compatible-request';
import { basetenPreset } from './baseten-api';

/**
 * The body of a dedicated deployment's `/predict` call. `/predict` takes whatever JSON the
 * deployed Truss model defines (https://docs.baseten.co/inference/overview); Switchboard sends the
 * OpenAI chat body (`messages`, `max_tokens`, `stream` ...) that Baseten's LLM Truss templates
 * read, without `stream_options`, which a custom model may not know.
 */
export function convertToBasetenPredictRequest(request: ChatRequest, upstreamModel: string, stream: boolean): ConvertedRequest {
  return convertToOpenAiCompatibleRequest(request, upstreamModel, stream, { ...basetenPreset, quirks: { noStreamOptions: true } });
}
