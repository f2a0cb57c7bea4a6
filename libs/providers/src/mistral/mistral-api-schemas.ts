import type { OpenAiCompletion, OpenAiMessage, OpenAiUsage } from '../openai-compatible/openai-compatible-api-schemas';

/**
 * Where Mistral's chat completions differ from OpenAI's: content may be an array of chunks, and
 * reasoning models (Magistral, `reasoning_effort`) put their trace in `thinking` chunks.
 * https://docs.mistral.ai/capabilities/reasoning
 */
export type MistralContentChunk =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: Array<{ type: string; text?: string }> }
  | { type: string; [field: string]: unknown };

export interface MistralUsage extends OpenAiUsage {
  num_cached_tokens?: number | null;
  /** Mistral has sent both spellings. */
  prompt_token_details?: { cached_tokens?: number | null } | null;
}

export interface MistralMessage extends Omit<OpenAiMessage, 'content'> {
  content?: string | MistralContentChunk[] | null;
}

export interface MistralChoice {
  index?: number;
  message?: MistralMessage;
  delta?: MistralMessage;
  finish_reason?: string | null;
}

export interface MistralCompletion extends Omit<OpenAiCompletion, 'choices' | 'usage'> {
  choices?: MistralChoice[];
  usage?: MistralUsage | null;
}

/** Mistral errors: `{object: "error", message, type, code}`; validation errors carry `detail`. */
export interface MistralErrorBody {
  object?: string;
  message?: unknown;
  type?: string;
  code?: string | number | null;
  detail?: unknown;
  error?: unknown;
}

export interface MistralEmbeddingResponse {
  model?: string;
  data?: Array<{ index?: number; embedding: number[] | string }>;
  usage?: { prompt_tokens?: number; total_tokens?: number };
}
