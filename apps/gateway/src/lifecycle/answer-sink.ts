import type { SwitchboardError } from '@switchboard/spec';
import type { StreamEvent } from './answer-encoder';

/**
 * Where an edge writes an answer: the HTTP response (JSON or Server-Sent Events) or the NATS
 * caller's inbox (one body, or chunk messages). The pump respects its backpressure: `write`
 * returns false when the sink's buffer is above its mark, and `drained` resolves when it may write
 * again (or the client is gone).
 */
export interface AnswerSink {
  /** The client went away (closed the connection, cancelled, stopped listening). */
  readonly closed: boolean;
  /** Called once when the client goes away before the answer is complete; returns the unsubscriber. */
  onClose(listener: () => void): () => void;
  /** An error before any output: the client's error format, status and headers. */
  error(error: SwitchboardError, headers: Record<string, string>): void;
  /** A whole answer. */
  body(body: unknown, headers: Record<string, string>): void;
  /** The stream's headers (HTTP) before its first event. */
  open(headers: Record<string, string>): void;
  write(events: readonly StreamEvent[]): boolean;
  drained(): Promise<void>;
  /** The stream completed: closing events, then the end (`doneMarker` on SSE, the end message on NATS). */
  end(events: readonly StreamEvent[], doneMarker?: string): void;
  /** The stream failed after output: closing events, then the in-band error, then the end. */
  fail(events: readonly StreamEvent[], inBandError: StreamEvent | undefined, error: SwitchboardError): void;
  /** Cuts a client that stopped reading (its buffer passed the bound). */
  abort(): void;
  /** The status the client saw first (for logs, metrics, spans); undefined before anything was sent. */
  readonly status: number | undefined;
}
