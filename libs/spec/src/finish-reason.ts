/** OpenAI's finish reasons, plus `error` and `other` for what maps to none of them. */
export type UnifiedFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call' | 'error' | 'other';

/** A finish reason keeps the provider's raw value beside the unified one: billing and debugging need both. */
export interface FinishReason {
  unified: UnifiedFinishReason;
  raw: string | null;
}
