import type { ChatResult, EmbeddingResult, StreamPart, SwitchboardError, Usage } from '@switchboard/spec';

/** One event of a streamed answer: SSE's optional `event:` name and its `data` JSON. */
export interface StreamEvent {
  event?: string;
  data: unknown;
}

/**
 * Turns a worker's answer into one client API's wire objects (OpenAI chat, embeddings, Anthropic
 * Messages, Responses), independent of the edge that carries them: the HTTP sink frames events as
 * SSE, the NATS sink sends each as one chunk message.
 */
export interface AnswerEncoder {
  /** A whole (non-streamed) answer: its body, and the usage it reports for settlement. */
  complete(result: ChatResult | EmbeddingResult): Promise<EncodedAnswer> | EncodedAnswer;
  /** Events before the first part (Responses' `response.created` ...). */
  open(): StreamEvent[];
  parts(parts: readonly StreamPart[]): StreamEvent[];
  /** The closing events of a stream that completed (may store state first, as Responses does). */
  finish(): Promise<StreamEvent[]> | StreamEvent[];
  /** The closing events of a stream that failed after output (Responses' `response.failed`). */
  fail(error: SwitchboardError): StreamEvent[];
  /** The in-band error event an SSE stream ends with (OpenAI's `data: {"error":...}`, Anthropic's `event: error`). */
  inBandError(error: SwitchboardError): StreamEvent | undefined;
  /** What the client API's SSE stream ends with when complete (chat: `[DONE]`). */
  readonly doneMarker?: string;
  /** Usage seen in the stream so far, for settlement. */
  readonly usage: Usage | undefined;
  /** Response headers this API adds (Anthropic's `request-id`). */
  readonly headers?: Record<string, string>;
}

export interface EncodedAnswer {
  body: unknown;
  usage?: Usage;
  upstreamLatencyMs?: number;
}
