/**
 * The canonical chat request: the OpenAI Chat Completions request body.
 * Switchboard speaks OpenAI's shape at its edge, so the canonical request is that shape;
 * provider adapters translate from it. Unknown fields are kept (`[field: string]: unknown`)
 * so provider-specific extras pass through to adapters that understand them.
 * https://platform.openai.com/docs/api-reference/chat/create
 */
export interface TextContentPart {
  type: 'text';
  text: string;
  /** Anthropic prompt caching marker, passed through to providers that support it. */
  cache_control?: { type: 'ephemeral'; ttl?: string };
}

export interface ImageContentPart {
  type: 'image_url';
  image_url: { url: string; detail?: 'auto' | 'low' | 'high'; format?: string };
}

export interface InputAudioContentPart {
  type: 'input_audio';
  input_audio: { data: string; format: 'wav' | 'mp3' };
}

export interface FileContentPart {
  type: 'file';
  file: { file_data?: string; file_id?: string; filename?: string; format?: string };
}

export type UserContentPart = TextContentPart | ImageContentPart | InputAudioContentPart | FileContentPart;

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface SystemMessage {
  role: 'system' | 'developer';
  content: string | TextContentPart[];
  name?: string;
}

export interface UserMessage {
  role: 'user';
  content: string | UserContentPart[];
  name?: string;
}

export interface AssistantMessage {
  role: 'assistant';
  content?: string | TextContentPart[] | null;
  tool_calls?: ToolCall[];
  name?: string;
  refusal?: string | null;
  /** Reasoning text returned earlier by the model (LiteLLM's field name). */
  reasoning_content?: string | null;
  /** Provider thinking blocks with signatures, replayed to providers that require them (Anthropic). */
  thinking_blocks?: ThinkingBlock[];
}

export interface ThinkingBlock {
  type: 'thinking' | 'redacted_thinking';
  thinking?: string;
  signature?: string;
  data?: string;
}

export interface ToolMessage {
  role: 'tool';
  content: string | TextContentPart[];
  tool_call_id: string;
}

/** The legacy `function` role (deprecated by OpenAI, still sent by older clients). */
export interface FunctionMessage {
  role: 'function';
  content: string | null;
  name: string;
}

export type ChatMessage = SystemMessage | UserMessage | AssistantMessage | ToolMessage | FunctionMessage;

export interface FunctionDefinition {
  name: string;
  description?: string;
  parameters?: Record<string, unknown>;
  strict?: boolean | null;
}

export interface ToolDefinition {
  type: 'function';
  function: FunctionDefinition;
  cache_control?: { type: 'ephemeral'; ttl?: string };
}

export type ToolChoice =
  | 'none'
  | 'auto'
  | 'required'
  | { type: 'function'; function: { name: string } };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | {
      type: 'json_schema';
      json_schema: { name: string; description?: string; schema?: Record<string, unknown>; strict?: boolean | null };
    };

export type ReasoningEffort = 'minimal' | 'low' | 'medium' | 'high' | 'none';

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  stream?: boolean | null;
  stream_options?: { include_usage?: boolean; include_obfuscation?: boolean } | null;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  n?: number | null;
  stop?: string | string[] | null;
  seed?: number | null;
  user?: string;
  tools?: ToolDefinition[];
  tool_choice?: ToolChoice;
  parallel_tool_calls?: boolean;
  response_format?: ResponseFormat;
  reasoning_effort?: ReasoningEffort;
  /** Anthropic-style extended thinking, accepted as LiteLLM does. */
  thinking?: { type: 'enabled' | 'disabled'; budget_tokens?: number };
  presence_penalty?: number | null;
  frequency_penalty?: number | null;
  logit_bias?: Record<string, number> | null;
  logprobs?: boolean | null;
  top_logprobs?: number | null;
  metadata?: Record<string, string> | null;
  /** LiteLLM's testing field: answer with this text instead of calling the upstream. */
  mock_response?: string;
  [field: string]: unknown;
}
