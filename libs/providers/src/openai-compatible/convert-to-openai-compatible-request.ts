import type { ChatRequest } from '@switchboard/spec';
import type { OpenAiCompatiblePreset } from './openai-compatible-presets';

/** Fields only Switchboard (or LiteLLM) understands: never sent upstream. */
const gatewayOnlyFields = new Set([
  'mock_response',
  'mock_testing_fallbacks',
  'fallbacks',
  'context_window_fallbacks',
  'num_retries',
  'disable_fallbacks',
  'tags',
  'caching',
  'cache',
  'guardrails',
  'litellm_metadata',
  'anthropic_beta',
]);

export interface ConvertedRequest {
  body: Record<string, unknown>;
  warnings: string[];
}

/**
 * The request as the vendor should get it: the upstream model name, usage always requested on
 * streams (spend tracking needs it; the gateway forwards the usage chunk only if the client asked).
 */
export function convertToOpenAiCompatibleRequest(
  request: ChatRequest,
  upstreamModel: string,
  stream: boolean,
  preset: OpenAiCompatiblePreset,
): ConvertedRequest {
  const warnings: string[] = [];
  const unsupported = new Set(preset.quirks?.unsupportedFields ?? []);
  const body: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(request)) {
    if (value === undefined || gatewayOnlyFields.has(field)) continue;
    if (unsupported.has(field)) {
      warnings.push(`${preset.provider} does not support ${field}; it was not sent`);
      continue;
    }
    body[field] = value;
  }
  body.model = upstreamModel;
  if (preset.quirks?.maxTokensOnly && body.max_completion_tokens !== undefined) {
    body.max_tokens ??= body.max_completion_tokens;
    delete body.max_completion_tokens;
  }
  if (stream) {
    body.stream = true;
    if (preset.quirks?.noStreamOptions) delete body.stream_options;
    else body.stream_options = { ...(request.stream_options ?? {}), include_usage: true };
  } else {
    delete body.stream;
    delete body.stream_options;
  }
  return { body, warnings };
}
