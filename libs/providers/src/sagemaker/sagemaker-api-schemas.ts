/**
 * The minimal, tolerant shapes SageMaker endpoints answer with.
 *
 * TGI (the Hugging Face LLM container) answers `/invocations` for `{inputs, parameters}` as its
 * `/generate` does, in a list: `[{generated_text, details?}]`; `details` comes only when
 * `parameters.details` is true. https://huggingface.github.io/text-generation-inference/
 * Older JumpStart containers answer `{generation}` (as LiteLLM also reads).
 */
export interface TgiDetails {
  finish_reason?: string;
  generated_tokens?: number;
  /** Prompt tokens: newer TGI puts it in a stream's final `details`. */
  input_length?: number;
  /** Prompt tokens, listed when `decoder_input_details` was asked for. */
  prefill?: unknown[];
  seed?: number | null;
}

export interface TgiGeneration {
  generated_text?: string;
  generation?: string;
  details?: TgiDetails | null;
}

/**
 * One server-sent event of TGI's stream (`stream: true`): a token per event; the last one has
 * `generated_text` and, with `details`, the finish reason and counts. Errors after the start come
 * as `{error, error_type}` events.
 */
export interface TgiStreamEvent {
  index?: number;
  token?: { id?: number; text?: string; special?: boolean };
  generated_text?: string | null;
  details?: TgiDetails | null;
  error?: string;
  error_type?: string;
}

/**
 * An HTTP error of SageMaker Runtime (`x-amzn-errortype` names it). A `ModelError` (424) wraps
 * what the container answered in `OriginalStatusCode` / `OriginalMessage`.
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html#API_runtime_InvokeEndpoint_Errors
 */
export interface SagemakerErrorBody {
  message?: string;
  Message?: string;
  ErrorCode?: string;
  OriginalStatusCode?: number;
  OriginalMessage?: string;
  LogStreamArn?: string;
}

/** What a container puts in its own error answer: TGI `{error, error_type}`, OpenAI `{error: {message}}`. */
export interface ContainerErrorBody {
  error?: string | { message?: string; type?: string; code?: string | number | null };
  error_type?: string;
  message?: string;
}
