import type { NatsConnection } from '@nats-io/transport-node';
import type { ReplyWriter } from '@switchboard/messaging';
import { SwitchboardError } from '@switchboard/spec';
import type { StreamEvent } from '../lifecycle/answer-encoder';
import type { AnswerSink } from '../lifecycle/answer-sink';
import type { NatsCaller } from './nats-caller';

/** Bytes published to a caller between two flushes: the gateway's outbound buffer bound per stream. */
const flushEveryBytes = 256 * 1024;
/** How long a flush may take before the stream is treated as stuck (the server or the bus is gone). */
const flushTimeoutMs = 5_000;

/**
 * The NATS edge's sink (docs/nats-api.md): one body, or one chunk message per event ending with
 * the end marker, or the bus's error reply. Flow control: after every 256 KiB published the pump
 * waits for a flush (the server has taken everything before it), so a stream never piles up in
 * the gateway's outbound buffer; a caller too slow for the server is cut by the server (slow
 * consumer), which the probe replies then report as a caller that stopped listening.
 */
export class NatsAnswerSink implements AnswerSink {
  private sinceFlush = 0;

  constructor(
    private readonly reply: ReplyWriter,
    private readonly caller: NatsCaller,
    private readonly connection: NatsConnection,
  ) {}

  get closed(): boolean {
    return this.caller.closed;
  }

  get status(): number | undefined {
    return this.reply.status;
  }

  onClose(listener: () => void): () => void {
    return this.caller.onLeave(listener);
  }

  error(error: SwitchboardError): void {
    this.reply.error(error);
  }

  body(body: unknown): void {
    this.reply.result(body);
  }

  open(): void {
    // Stream messages need no preamble: each carries its headers.
  }

  write(events: readonly StreamEvent[]): boolean {
    for (const event of events) this.sinceFlush += this.reply.chunk(event.data, this.caller.probe);
    return this.sinceFlush < flushEveryBytes;
  }

  async drained(): Promise<void> {
    this.sinceFlush = 0;
    let timer: NodeJS.Timeout | undefined;
    const stuck = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.caller.leave();
        resolve();
      }, flushTimeoutMs);
    });
    await Promise.race([this.connection.flush().catch(() => this.caller.leave()), stuck]);
    clearTimeout(timer);
  }

  end(events: readonly StreamEvent[]): void {
    this.write(events);
    this.reply.end();
  }

  fail(events: readonly StreamEvent[], _inBandError: StreamEvent | undefined, error: SwitchboardError): void {
    if (this.caller.closed) return;
    this.write(events);
    this.reply.error(error);
  }

  abort(): void {
    this.reply.error(new SwitchboardError('cancelled', 'The stream was cut: the caller did not keep up'));
    this.caller.leave();
  }
}
