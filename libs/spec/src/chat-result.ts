import type { ToolCall } from './chat-request';
import type { FinishReason } from './finish-reason';
import type { Usage } from './usage';

export interface ChatResultMessage {
  role: 'assistant';
  content: string | null;
  reasoningContent?: string;
  toolCalls?: ToolCall[];
  refusal?: string | null;
}

export interface ChatResultChoice {
  index: number;
  message: ChatResultMessage;
  finishReason: FinishReason;
}

/** A complete (non-streamed) chat answer in canonical form. */
export interface ChatResult {
  id: string;
  model: string;
  created: number;
  systemFingerprint?: string;
  serviceTier?: string;
  choices: ChatResultChoice[];
  usage: Usage;
  warnings?: string[];
  /** Set by the worker: ms the upstream call took. */
  upstreamLatencyMs?: number;
}
