/**
 * The minimal, tolerant shapes of OpenAI Chat Completions responses that the adapter reads.
 * https://platform.openai.com/docs/api-reference/chat/object
 * https://platform.openai.com/docs/api-reference/chat/streaming
 */
export interface OpenAiUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number | null; cache_creation_tokens?: number | null } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
  /** DeepSeek reports cache hits with its own names. */
  prompt_cache_hit_tokens?: number;
}

export interface OpenAiToolCall {
  index?: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
}

export interface OpenAiMessage {
  role?: string;
  content?: string | null;
  refusal?: string | null;
  tool_calls?: OpenAiToolCall[] | null;
  /** DeepSeek, vLLM and LiteLLM's name for reasoning text. */
  reasoning_content?: string | null;
  /** OpenRouter's name for reasoning text. */
  reasoning?: string | null;
}

export interface OpenAiChoice {
  index?: number;
  message?: OpenAiMessage;
  delta?: OpenAiMessage;
  finish_reason?: string | null;
}

export interface OpenAiCompletion {
  id?: string;
  object?: string;
  created?: number;
  model?: string;
  system_fingerprint?: string | null;
  service_tier?: string | null;
  choices?: OpenAiChoice[];
  usage?: OpenAiUsage | null;
  error?: OpenAiErrorBody['error'];
}

export interface OpenAiErrorBody {
  error?: { message?: string; type?: string; code?: string | number | null; param?: string | null } | string;
  message?: string;
}

export interface OpenAiEmbeddingResponse {
  model?: string;
  data?: Array<{ index?: number; embedding: number[] | string }>;
  usage?: { prompt_tokens?: number; total_tokens?: number };
}
