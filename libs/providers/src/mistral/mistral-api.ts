import type { ResolvedDeployment } from '@switchboard/spec';
import { openAiCompatibleEndpoint } from '../openai-compatible/openai-compatible-api';
import type { OpenAiCompatiblePreset } from '../openai-compatible/openai-compatible-presets';

/**
 * La Plateforme as an OpenAI-compatible preset with its quirks: it knows only `max_tokens`,
 * rejects `stream_options` (usage always comes on the last chunk) and rejects fields it does not
 * know (HTTP 422), so OpenAI-only fields are dropped with a warning.
 * https://docs.mistral.ai/api/#tag/chat/operation/chat_completion_v1_chat_completions_post
 */
export const mistralPreset: OpenAiCompatiblePreset = {
  provider: 'mistral',
  baseUrl: 'https://api.mistral.ai/v1',
  requiresApiKey: true,
  supportsEmbeddings: true,
  quirks: {
    maxTokensOnly: true,
    noStreamOptions: true,
    unsupportedFields: [
      'user',
      'logit_bias',
      'logprobs',
      'top_logprobs',
      'service_tier',
      'store',
      'modalities',
      'audio',
      'web_search_options',
      'verbosity',
    ],
  },
};

export function mistralEndpoint(
  deployment: ResolvedDeployment,
  path: '/chat/completions' | '/embeddings',
): { url: string; headers: Record<string, string> } {
  return openAiCompatibleEndpoint(mistralPreset, deployment, path);
}
