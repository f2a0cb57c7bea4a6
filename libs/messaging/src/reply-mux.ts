import { createInbox } from '@nats-io/transport-node';
import type { MsgHdrs, NatsConnection, Subscription } from '@nats-io/transport-node';
import { SwitchboardError } from '@switchboard/spec';
import { decodeReplyFrame } from './reply-frames';
import type { ReplyFrame } from './reply-frames';

type FrameListener = (frame: ReplyFrame, bytes: number) => void;

/**
 * One wildcard inbox subscription per process, demultiplexed by a counter token:
 * a request costs no SUB/UNSUB round trip. Streams and single replies use the same path.
 */
export class ReplyMux {
  private readonly inboxPrefix: string;
  private readonly listeners = new Map<string, FrameListener>();
  private readonly subscription: Subscription;
  private sequence = 0;

  constructor(private readonly connection: NatsConnection) {
    this.inboxPrefix = createInbox();
    this.subscription = connection.subscribe(`${this.inboxPrefix}.*`, {
      callback: (error, message) => {
        if (error) return;
        const token = message.subject.slice(this.inboxPrefix.length + 1);
        const listener = this.listeners.get(token);
        if (listener) listener(decodeReplyFrame(message), message.data.length);
      },
    });
  }

  /**
   * Publishes a command and returns the channel its reply frames arrive on.
   * Fails at once (503) when the connection is not up, instead of buffering into a hang.
   */
  open(subject: string, payload: Uint8Array, headers: MsgHdrs): ReplyChannel {
    if (this.connection.isClosed() || this.connection.isDraining()) {
      throw new SwitchboardError('upstream_unavailable', 'The message bus is not connected', { retryAfterSeconds: 1 });
    }
    const token = String(++this.sequence);
    const channel = new ReplyChannel(() => this.listeners.delete(token));
    this.listeners.set(token, (frame, bytes) => channel.push(frame, bytes));
    this.connection.publish(subject, payload, { reply: `${this.inboxPrefix}.${token}`, headers });
    return channel;
  }

  get inFlight(): number {
    return this.listeners.size;
  }

  close(): void {
    this.subscription.unsubscribe();
    this.listeners.clear();
  }
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
