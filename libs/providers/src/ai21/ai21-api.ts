import type { OpenAiCompatiblePreset } from '../openai-compatible/openai-compatible-presets';

/**
 * AI21 Studio's Jamba chat API is OpenAI-shaped (POST /studio/v1/chat/completions, Bearer key):
 * https://docs.ai21.com/reference/jamba-1-6-api-ref. It documents `max_tokens` only, and a stream
 * carries its usage on the last chunk without `stream_options`
 * (https://docs.ai21.com/reference/jamba-api-response).
 */
export const ai21Preset: OpenAiCompatiblePreset = {
  provider: 'ai21',
  baseUrl: 'https://api.ai21.com/studio/v1',
  requiresApiKey: true,
  supportsEmbeddings: false,
  quirks: { noStreamOptions: true, maxTokensOnly: true },
};
