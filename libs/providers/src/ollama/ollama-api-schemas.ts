/**
 * The minimal, tolerant shapes of Ollama's native API.
 * https://github.com/ollama/ollama/blob/main/docs/api.md#generate-a-chat-completion
 * https://github.com/ollama/ollama/blob/main/docs/api.md#generate-embeddings
 */
export interface OllamaToolCall {
  /** Newer Ollama versions name their calls; older ones do not. */
  id?: string;
  function: { index?: number; name: string; arguments: Record<string, unknown> | string };
}

export interface OllamaMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  /** Base64 images without a `data:` prefix. */
  images?: string[];
  thinking?: string;
  tool_calls?: OllamaToolCall[];
  /** The tool whose result a `tool` message carries. */
  tool_name?: string;
  tool_call_id?: string;
}

export type OllamaThink = boolean | 'low' | 'medium' | 'high';

export interface OllamaChatRequest {
  model: string;
  messages: OllamaMessage[];
  stream: boolean;
  tools?: Array<{ type: 'function'; function: { name: string; description?: string; parameters?: Record<string, unknown> } }>;
  format?: 'json' | Record<string, unknown>;
  options?: Record<string, unknown>;
  think?: OllamaThink;
  keep_alive?: string | number;
}

/** One NDJSON line of a chat stream, or the whole non-streamed answer. */
export interface OllamaChatChunk {
  model?: string;
  created_at?: string;
  message?: {
    role?: string;
    content?: string;
    thinking?: string;
    tool_calls?: OllamaToolCall[] | null;
  };
  done?: boolean;
  done_reason?: string;
  total_duration?: number;
  load_duration?: number;
  prompt_eval_count?: number;
  prompt_eval_duration?: number;
  eval_count?: number;
  eval_duration?: number;
  /** Set instead of everything else when Ollama fails (also mid-stream). */
  error?: string;
}

export interface OllamaEmbedResponse {
  model?: string;
  embeddings?: number[][];
  prompt_eval_count?: number;
  total_duration?: number;
  load_duration?: number;
}
