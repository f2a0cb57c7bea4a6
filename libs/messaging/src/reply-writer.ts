import { headers as createHeaders } from '@nats-io/transport-node';
import type { MsgHdrs, NatsConnection } from '@nats-io/transport-node';
import { replyHeaders } from '@switchboard/contracts';
import { SwitchboardError } from '@switchboard/spec';
import type { ErrorPayload, StreamPart } from '@switchboard/spec';
import { encodeJson } from './json-codec';
import { errorReplyMessage, replyMessageHeaders } from './reply-frames';

/**
 * Writes the reply to one bus message, in the one reply format (reply-frames.ts): a single answer,
 * or stream messages ending with `end`, or an error. Worker stream parts are coalesced per
 * event-loop turn: everything an upstream read produced goes out as one NATS message, and the
 * first part is never held longer than one turn. A message larger than the server's limit goes out
 * in pieces (`sb-continued` on all but the last), which the caller's inbox reassembles. A publish
 * that fails (the connection closed) never throws into the caller: it is reported by `onFailure`.
 */
export class ReplyWriter {
  private pending: StreamPart[] = [];
  private flushScheduled = false;
  private finished = false;
  private streamed = false;
  private firstStatus: number | undefined;
  private chunkHeaders: MsgHdrs | undefined;
  private lastPublishAt = Date.now();

  constructor(
    private readonly connection: NatsConnection,
    private readonly replySubject: string,
    readonly requestId: string,
    private readonly onFailure: (error: unknown) => void = () => undefined,
  ) {}

  get isFinished(): boolean {
    return this.finished;
  }

  /** The status of the first message sent: what the caller reads as the answer's (undefined: nothing sent yet). */
  get status(): number | undefined {
    return this.firstStatus;
  }

  /** When a message last went out for this reply (heartbeats keep a silent call alive). */
  get lastActivityAt(): number {
    return this.lastPublishAt;
  }

  /** Says the handler is alive while its upstream call is silent (internal subjects only; no payload). */
  heartbeat(): void {
    if (this.finished) return;
    this.publish(new Uint8Array(0), heartbeatHeaders());
  }

  /** A worker stream part, coalesced with the others of this event-loop turn. */
  part(part: StreamPart): void {
    if (this.finished) return;
    this.pending.push(part);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /**
   * One stream message now; `probe` as its reply subject lets the server tell us the caller stopped
   * listening. Returns the bytes published (0 when nothing went out).
   */
  chunk(value: unknown, probe?: string): number {
    if (this.finished) return 0;
    this.streamed = true;
    this.chunkHeaders ??= replyMessageHeaders(this.requestId, 200, 'chunk');
    this.firstStatus ??= 200;
    const payload = encodeJson(value);
    return this.publish(payload, this.chunkHeaders, probe) ? payload.length : 0;
  }

  /** The whole answer. Terminal. */
  result(value: unknown): void {
    if (this.finished) return;
    this.finished = true;
    this.firstStatus ??= 200;
    if (!this.publish(encodeJson(value), replyMessageHeaders(this.requestId, 200))) {
      // The answer could not be sent (too large for the bus, or the connection closed): say so rather than leave the caller waiting.
      this.finished = false;
      this.error(new SwitchboardError('internal', 'The answer could not be sent on the message bus'));
    }
  }

  /** An error: the answer, or the last message of a stream that had started. Terminal. */
  error(error: SwitchboardError | ErrorPayload): void {
    if (this.finished) return;
    this.flush();
    this.finished = true;
    const payload = error instanceof SwitchboardError ? error.toPayload() : error;
    this.firstStatus ??= payload.status;
    const message = errorReplyMessage(this.requestId, payload, this.streamed);
    this.publish(message.payload, message.headers);
  }

  /** The stream is complete. Terminal. */
  end(): void {
    if (this.finished) return;
    this.flush();
    this.finished = true;
    this.firstStatus ??= 200;
    this.publish(new Uint8Array(0), replyMessageHeaders(this.requestId, 200, 'end'));
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0 || this.finished) return;
    const parts = this.pending;
    this.pending = [];
    this.chunk(parts);
  }

  private publish(payload: Uint8Array, headers: MsgHdrs, reply?: string): boolean {
    if (!this.replySubject) return false;
    this.lastPublishAt = Date.now();
    try {
      const limit = pieceLimit(this.connection);
      let rest = payload;
      while (rest.length > limit) {
        // Every piece but the last: the receiver concatenates them until the piece without the marker.
        this.connection.publish(this.replySubject, rest.subarray(0, limit), { headers: continuedHeaders() });
        rest = rest.subarray(limit);
      }
      this.connection.publish(this.replySubject, rest, reply ? { headers, reply } : { headers });
      return true;
    } catch (error) {
      this.onFailure(error);
      return false;
    }
  }
}

/** The largest piece of one reply message, with room for its headers. */
function pieceLimit(connection: NatsConnection): number {
  return Math.max(64 * 1024, (connection.info?.max_payload ?? 1_048_576) - 16 * 1024);
}

function continuedHeaders(): MsgHdrs {
  const headers = createHeaders();
  headers.set(replyHeaders.continued, '1');
  return headers;
}

function heartbeatHeaders(): MsgHdrs {
  const headers = createHeaders();
  headers.set(replyHeaders.stream, 'heartbeat');
  return headers;
}
