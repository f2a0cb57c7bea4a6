import type { MsgHdrs, NatsConnection } from '@nats-io/transport-node';
import type { ErrorPayload, StreamPart } from '@switchboard/spec';
import { encodeFramePayload, errorFrameHeaders, frameHeaders } from './reply-frames';

/**
 * Writes reply frames to a command's reply subject. Stream parts are coalesced per event-loop
 * turn: everything an upstream read produced goes out as one NATS message, and the first
 * part is never held longer than one turn.
 */
export class ReplyWriter {
  private pending: StreamPart[] = [];
  private flushScheduled = false;
  private finished = false;
  private readonly partsHeaders: MsgHdrs;

  constructor(
    private readonly connection: NatsConnection,
    private readonly replySubject: string,
    private readonly requestId: string,
  ) {
    this.partsHeaders = frameHeaders('parts', requestId);
  }

  get isFinished(): boolean {
    return this.finished;
  }

  part(part: StreamPart): void {
    if (this.finished) return;
    this.pending.push(part);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  result(value: unknown): void {
    if (this.finished) return;
    this.finished = true;
    this.connection.publish(this.replySubject, encodeFramePayload(value), {
      headers: frameHeaders('result', this.requestId),
    });
  }

  error(error: ErrorPayload): void {
    if (this.finished) return;
    this.flush();
    this.finished = true;
    this.connection.publish(this.replySubject, encodeFramePayload(error), {
      headers: errorFrameHeaders(this.requestId, error),
    });
  }

  end(): void {
    if (this.finished) return;
    this.flush();
    this.finished = true;
    this.connection.publish(this.replySubject, new Uint8Array(0), { headers: frameHeaders('end', this.requestId) });
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0 || this.finished) return;
    const parts = this.pending;
    this.pending = [];
    this.connection.publish(this.replySubject, encodeFramePayload(parts), { headers: this.partsHeaders });
  }
}
