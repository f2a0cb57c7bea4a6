/**
 * The minimal, tolerant shapes of Cohere's v2 API that the adapter writes and reads.
 * https://docs.cohere.com/reference/chat
 * https://docs.cohere.com/reference/chat-stream
 * https://docs.cohere.com/reference/embed
 */
export interface CohereTextContent {
  type: 'text';
  text: string;
}

export interface CohereImageContent {
  type: 'image_url';
  image_url: { url: string; detail?: 'auto' | 'low' | 'high' };
}

export interface CohereToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type CohereMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | Array<CohereTextContent | CohereImageContent> }
  | { role: 'assistant'; content?: string; tool_plan?: string; tool_calls?: CohereToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface CohereTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

export interface CohereChatRequest {
  model: string;
  messages: CohereMessage[];
  stream?: boolean;
  tools?: CohereTool[];
  strict_tools?: boolean;
  tool_choice?: 'REQUIRED' | 'NONE';
  response_format?: { type: 'json_object'; json_schema?: Record<string, unknown> };
  thinking?: { type: 'enabled' | 'disabled'; token_budget?: number };
  max_tokens?: number;
  stop_sequences?: string[];
  temperature?: number;
  p?: number;
  k?: number;
  seed?: number;
  frequency_penalty?: number;
  presence_penalty?: number;
  logprobs?: boolean;
  [field: string]: unknown;
}

export interface CohereUsage {
  billed_units?: { input_tokens?: number; output_tokens?: number } | null;
  tokens?: { input_tokens?: number; output_tokens?: number } | null;
  /** Prompt tokens served from Cohere's cache, a part of `tokens.input_tokens`. */
  cached_tokens?: number | null;
}

export interface CohereResponseContent {
  type?: string;
  text?: string;
  thinking?: string;
}

export interface CohereChatResponse {
  id?: string;
  finish_reason?: string | null;
  message?: {
    role?: string;
    content?: CohereResponseContent[] | null;
    tool_plan?: string | null;
    tool_calls?: Array<{ id?: string; type?: string; function?: { name?: string; arguments?: string | null } }> | null;
  };
  usage?: CohereUsage | null;
}

/** One SSE event of a v2 chat stream, named by its `type`. */
export interface CohereStreamEvent {
  type?: string;
  id?: string;
  index?: number;
  delta?: {
    message?: {
      content?: { type?: string; text?: string; thinking?: string };
      tool_plan?: string;
      tool_calls?: { id?: string; type?: string; function?: { name?: string; arguments?: string } };
    };
    finish_reason?: string | null;
    usage?: CohereUsage | null;
  };
  /** Present when the stream carries an error instead of an event. */
  message?: string;
}

export interface CohereErrorBody {
  id?: string;
  message?: string;
}

export interface CohereEmbedResponse {
  id?: string;
  embeddings?: { float?: number[][] };
  meta?: { billed_units?: { input_tokens?: number } };
}
