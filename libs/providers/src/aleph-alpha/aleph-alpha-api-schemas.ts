/**
 * The minimal, tolerant shapes of Aleph Alpha's native answers, as its client reads them
 * (aleph_alpha_client/completion.py and embedding.py).
 */
export interface AlephAlphaCompletionResponse {
  model_version?: string;
  completions?: Array<{ completion?: string; finish_reason?: string }>;
  num_tokens_prompt_total?: number;
  num_tokens_generated?: number;
}

/** One `/complete` stream event: a chunk of text, the end of one completion, or the end of all. */
export type AlephAlphaCompleteStreamItem =
  | { type: 'stream_chunk'; index?: number; completion?: string }
  | { type: 'stream_summary'; index?: number; model_version?: string; finish_reason?: string }
  | { type: 'completion_summary'; num_tokens_prompt_total?: number; num_tokens_generated?: number };

export interface AlephAlphaSemanticEmbedResponse {
  model_version?: string;
  embedding?: number[];
  num_tokens_prompt_total?: number;
}

export interface AlephAlphaErrorBody {
  error?: string | { message?: string; code?: string };
  code?: string;
  message?: string;
}
