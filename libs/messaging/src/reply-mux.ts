import { createInbox } from '@nats-io/transport-node';
import type { Msg, MsgHdrs, NatsConnection, Subscription } from '@nats-io/transport-node';
import { messageHeaders, replyHeaders } from '@switchboard/contracts';
import { SwitchboardError } from '@switchboard/spec';
import type { BusConnectionState } from './connection-state';
import type { PayloadStore } from './payload-store';
import { decodeReplyFrame } from './reply-frames';
import type { ReplyFrame } from './reply-frames';

export interface OpenOptions {
  /**
   * Fail the reply when nothing (not even a heartbeat) arrived for this long: the handler's
   * process is gone. 0 or absent: no liveness check (the caller's own deadline bounds it).
   */
  silenceLimitMs?: number;
}

interface OpenReply {
  channel: ReplyChannel;
  silenceLimitMs: number;
  lastActivityAt: number;
  /** Pieces of a message larger than one NATS message, until its last piece. */
  pieces?: Uint8Array[];
}

const livenessScanMs = 500;

/**
 * One wildcard inbox subscription per process, demultiplexed by a counter token: a request costs
 * no SUB/UNSUB round trip. Streams and single replies use the same path. It also owns the faults
 * of waiting on the bus (docs/ARCHITECTURE.md, "Faults"): when the connection drops, every reply in
 * flight fails at once with a retryable 503 (replies published meanwhile never arrive) and new
 * commands are refused until it is back; a reply whose handler went silent past its limit fails;
 * a message that came in pieces is reassembled; a command larger than one message goes through
 * the payload store.
 */
export class ReplyMux {
  private readonly inboxPrefix: string;
  private readonly replies = new Map<string, OpenReply>();
  private readonly subscription: Subscription;
  private readonly liveness: NodeJS.Timeout;
  private lastScanAt = Date.now();
  private sequence = 0;

  constructor(
    private readonly connection: NatsConnection,
    private readonly state: BusConnectionState,
    private readonly payloads?: PayloadStore,
  ) {
    this.inboxPrefix = createInbox();
    this.subscription = connection.subscribe(`${this.inboxPrefix}.*`, {
      callback: (error, message) => {
        if (!error) this.receive(message);
      },
    });
    state.onLost(() => this.failAll(new SwitchboardError('bus_unavailable', 'The connection to the message bus was lost', { retryAfterSeconds: 1 })));
    this.liveness = setInterval(() => this.failSilent(), livenessScanMs);
    this.liveness.unref();
  }

  /**
   * Publishes a command and returns the channel its reply frames arrive on. Fails at once (503)
   * when the bus is not connected, instead of buffering into a hang.
   */
  open(subject: string, payload: Uint8Array, headers: MsgHdrs, options: OpenOptions = {}): ReplyChannel {
    if (!this.state.connected) {
      throw new SwitchboardError('bus_unavailable', 'The message bus is not connected', { retryAfterSeconds: 1 });
    }
    const token = String(++this.sequence);
    const channel = new ReplyChannel(() => this.replies.delete(token));
    this.replies.set(token, { channel, silenceLimitMs: options.silenceLimitMs ?? 0, lastActivityAt: Date.now() });
    const reply = `${this.inboxPrefix}.${token}`;
    if (this.payloads && payload.length > this.payloads.messageLimit) {
      void this.publishLarge(subject, payload, headers, reply, channel);
    } else {
      this.connection.publish(subject, payload, { reply, headers });
    }
    return channel;
  }

  get inFlight(): number {
    return this.replies.size;
  }

  close(): void {
    clearInterval(this.liveness);
    this.subscription.unsubscribe();
    this.replies.clear();
  }

  private receive(message: Msg): void {
    const entry = this.replies.get(message.subject.slice(this.inboxPrefix.length + 1));
    if (!entry) return;
    entry.lastActivityAt = Date.now();
    const headers = message.headers;
    if (headers?.get(replyHeaders.continued)) {
      (entry.pieces ??= []).push(message.data);
      return;
    }
    if (headers?.get(replyHeaders.stream) === 'heartbeat') return;
    let data = message.data;
    if (entry.pieces) {
      data = concat([...entry.pieces, data]);
      entry.pieces = undefined;
    }
    entry.channel.push(decodeReplyFrame(message, data), data.length);
  }

  /** A command too large for one message: its payload goes to the store, the command names it. */
  private async publishLarge(subject: string, payload: Uint8Array, headers: MsgHdrs, reply: string, channel: ReplyChannel): Promise<void> {
    try {
      headers.set(messageHeaders.payloadRef, await (this.payloads as PayloadStore).put(payload));
      this.connection.publish(subject, new Uint8Array(0), { reply, headers });
    } catch {
      channel.fail(new SwitchboardError('upstream_unavailable', 'The request is larger than one bus message and could not be stored for the worker', { retryAfterSeconds: 1 }));
    }
  }

  private failAll(error: SwitchboardError): void {
    for (const { channel } of [...this.replies.values()]) channel.fail(error);
  }

  private failSilent(): void {
    const now = Date.now();
    const lagged = now - this.lastScanAt > livenessScanMs * 4;
    this.lastScanAt = now;
    // After a long pause of this process's own event loop, frames may be waiting unread: judge next time.
    if (lagged) return;
    for (const entry of [...this.replies.values()]) {
      if (entry.silenceLimitMs > 0 && now - entry.lastActivityAt > entry.silenceLimitMs) {
        entry.channel.fail(new SwitchboardError('no_worker', `The worker handling this request stopped answering (nothing for ${entry.silenceLimitMs} ms)`, { retryAfterSeconds: 1 }));
      }
    }
  }
}

function concat(pieces: readonly Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(pieces.reduce((sum, piece) => sum + piece.length, 0));
  let offset = 0;
  for (const piece of pieces) {
    joined.set(piece, offset);
    offset += piece.length;
  }
  return joined;
}

/**
 * Reply frames of one command, read with `next()` in order. Frames that arrive while nobody reads
 * wait in memory; `whenQueuedOver` tells a reader that waits on its own client (backpressure) that
 * this queue has passed its bound, so it can cut a client that stopped reading.
 */
export class ReplyChannel {
  private readonly queue: Array<{ frame: ReplyFrame; bytes: number }> = [];
  private waiter: ((frame: ReplyFrame) => void) | null = null;
  private closed = false;
  private bytes = 0;
  private overflow: { limit: number; resolve: () => void } | undefined;

  constructor(private readonly onClose: () => void) {}

  /** Bytes of the frames received and not read yet. */
  get queuedBytes(): number {
    return this.bytes;
  }

  push(frame: ReplyFrame, bytes = 0): void {
    if (this.closed) return;
    const terminal = frame.kind !== 'parts';
    if (terminal) this.close();
    if (this.waiter) {
      const waiter = this.waiter;
      this.waiter = null;
      waiter(frame);
      return;
    }
    this.queue.push({ frame, bytes });
    this.bytes += bytes;
    if (this.overflow && this.bytes > this.overflow.limit) {
      this.overflow.resolve();
      this.overflow = undefined;
    }
  }

  /** Resolves when the unread frames pass `limit` bytes; `cancel` stops watching. */
  whenQueuedOver(limit: number): { reached: Promise<void>; cancel: () => void } {
    if (this.bytes > limit) return { reached: Promise.resolve(), cancel: () => undefined };
    let resolve: () => void = () => undefined;
    const reached = new Promise<void>((done) => {
      resolve = done;
    });
    this.overflow = { limit, resolve };
    return { reached, cancel: () => (this.overflow = undefined) };
  }

  next(): Promise<ReplyFrame> {
    const queued = this.queue.shift();
    if (queued) {
      this.bytes -= queued.bytes;
      return Promise.resolve(queued.frame);
    }
    if (this.closed) return Promise.resolve({ kind: 'end' });
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  /** Resolves a pending `next()` with this frame (a timeout or a cancel) and stops listening. */
  fail(error: SwitchboardError): void {
    this.push({ kind: 'error', error });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
  }
}
