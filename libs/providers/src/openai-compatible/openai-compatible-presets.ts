/**
 * OpenAI-compatible vendors as data: base URL, how the key is sent, and known quirks.
 * Base URLs are the vendors' documented OpenAI-compatible endpoints (and LiteLLM's defaults).
 */
export interface OpenAiCompatibleQuirks {
  /** The vendor rejects `stream_options`; usage then comes from the final chunk if at all. */
  noStreamOptions?: boolean;
  /** The vendor knows only `max_tokens`: `max_completion_tokens` is sent as `max_tokens`. */
  maxTokensOnly?: boolean;
  /** Request fields the vendor rejects; they are dropped with a warning. */
  unsupportedFields?: readonly string[];
}

export interface OpenAiCompatiblePreset {
  provider: string;
  /** Documented base URL; absent when the user must give `api_base` (self-hosted servers). */
  baseUrl?: string;
  /** Whether a deployment without `api_key` is refused before calling. */
  requiresApiKey: boolean;
  supportsEmbeddings: boolean;
  quirks?: OpenAiCompatibleQuirks;
}

const hosted = (provider: string, baseUrl: string, extra: Partial<OpenAiCompatiblePreset> = {}): OpenAiCompatiblePreset => ({
  provider,
  baseUrl,
  requiresApiKey: true,
  supportsEmbeddings: false,
  ...extra,
});

const selfHosted = (provider: string, baseUrl?: string, extra: Partial<OpenAiCompatiblePreset> = {}): OpenAiCompatiblePreset => ({
  provider,
  baseUrl,
  requiresApiKey: false,
  supportsEmbeddings: true,
  ...extra,
});

export const openAiCompatiblePresets: readonly OpenAiCompatiblePreset[] = [
  hosted('openai', 'https://api.openai.com/v1', { supportsEmbeddings: true }),
  hosted('groq', 'https://api.groq.com/openai/v1', { quirks: { unsupportedFields: ['logit_bias', 'logprobs', 'top_logprobs'] } }),
  hosted('deepseek', 'https://api.deepseek.com/v1'),
  hosted('together_ai', 'https://api.together.xyz/v1', { supportsEmbeddings: true }),
  hosted('openrouter', 'https://openrouter.ai/api/v1'),
  hosted('deepinfra', 'https://api.deepinfra.com/v1/openai', { supportsEmbeddings: true }),
  hosted('perplexity', 'https://api.perplexity.ai', { quirks: { maxTokensOnly: true } }),
  hosted('fireworks_ai', 'https://api.fireworks.ai/inference/v1', { supportsEmbeddings: true }),
  hosted('xai', 'https://api.x.ai/v1'),
  hosted('meta_llama', 'https://api.llama.com/compat/v1'),
  hosted('aiml', 'https://api.aimlapi.com/v1'),
  hosted('anyscale', 'https://api.endpoints.anyscale.com/v1', { quirks: { maxTokensOnly: true } }),
  hosted('empower', 'https://app.empower.dev/api/v1', { quirks: { maxTokensOnly: true } }),
  hosted('friendliai', 'https://api.friendli.ai/serverless/v1'),
  hosted('galadriel', 'https://api.galadriel.com/v1'),
  hosted('novita', 'https://api.novita.ai/v3/openai'),
  hosted('featherless_ai', 'https://api.featherless.ai/v1', { quirks: { maxTokensOnly: true } }),
  hosted('nebius', 'https://api.studio.nebius.com/v1', { supportsEmbeddings: true }),
  hosted('github', 'https://models.inference.ai.azure.com'),
  selfHosted('hosted_vllm'),
  selfHosted('xinference', 'http://127.0.0.1:9997/v1'),
  selfHosted('lm_studio', 'http://127.0.0.1:1234/v1'),
  selfHosted('llamafile', 'http://127.0.0.1:8080/v1', { quirks: { maxTokensOnly: true } }),
  selfHosted('openai_like'),
];

export const openAiCompatiblePresetByProvider: ReadonlyMap<string, OpenAiCompatiblePreset> = new Map(
  openAiCompatiblePresets.map((preset) => [preset.provider, preset]),
);
