import { ClientProxy } from '@nestjs/microservices';
import type { ReadPacket, WritePacket } from '@nestjs/microservices';
import type { MsgHdrs, NatsConnection } from '@nats-io/transport-node';
import { subjectOf } from '@switchboard/contracts';
import type { BusPattern, SubjectNamespace } from '@switchboard/contracts';
import { SwitchboardError } from '@switchboard/spec';
import { encodeJson } from '../json-codec';
import { BusConnectionState } from '../connection-state';
import { PayloadStore } from '../payload-store';
import type { ReplyFrame } from '../reply-frames';
import { ReplyMux } from '../reply-mux';
import type { OpenOptions, ReplyChannel } from '../reply-mux';
import { requestHeaders } from '../request-headers';

export interface NatsBusClientOptions {
  connection: NatsConnection;
  namespace: SubjectNamespace;
  /** The bound of `send()` and of `request()` without a timeout of its own. */
  defaultTimeoutMs: number;
}

export interface BusRequestOptions {
  timeoutMs?: number;
  requestId?: string;
  headers?: MsgHdrs;
  /** The service's name in the timeout error ("the auth service did not answer ..."). */
  service?: string;
}

/**
 * The calling side of the bus transport (docs/ARCHITECTURE.md D1): a Nest `ClientProxy` over the
 * process's one wildcard reply inbox (ReplyMux). `send()` / `emit()` work as in any Nest client;
 * `request()` is the awaited form with a bound; `open()` gives the reply frames of a command one by
 * one, which the gateway's pump reads with backpressure.
 */
export class NatsBusClient extends ClientProxy {
  private readonly mux: ReplyMux;
  /** Whether the bus is connected now (readiness, and refusing at once while it is not). */
  readonly state: BusConnectionState;

  constructor(private readonly options: NatsBusClientOptions) {
    super();
    this.state = new BusConnectionState(options.connection);
    this.mux = new ReplyMux(options.connection, this.state, new PayloadStore(options.connection, options.namespace));
  }

  connect(): Promise<NatsConnection> {
    return Promise.resolve(this.options.connection);
  }

  close(): void {
    this.mux.close();
  }

  unwrap<T>(): T {
    return this.options.connection as T;
  }

  get inFlight(): number {
    return this.mux.inFlight;
  }

  /** Publishes a command; its reply frames are read from the channel (see ReplyMux for the faults it owns). */
  open(subject: string, payload: Uint8Array, headers: MsgHdrs, options?: OpenOptions): ReplyChannel {
    return this.mux.open(subject, payload, headers, options);
  }

  /** One answer for one command, within a bound: the reply's value, or its error thrown. */
  async request<T>(pattern: BusPattern, data: unknown, options: BusRequestOptions = {}): Promise<T> {
    const timeoutMs = options.timeoutMs ?? this.options.defaultTimeoutMs;
    const headers = options.headers ?? requestHeaders({ requestId: options.requestId ?? '' });
    const channel = this.mux.open(subjectOf(this.options.namespace, pattern), encodeJson(data), headers);
    const timer = setTimeout(
      () => channel.fail(new SwitchboardError('upstream_unavailable', `${options.service ?? 'The service'} did not answer within ${timeoutMs} ms`, { retryAfterSeconds: 1 })),
      timeoutMs,
    );
    try {
      const frame = await channel.next();
      return answerOf<T>(frame);
    } finally {
      clearTimeout(timer);
      channel.close();
    }
  }

  protected publish(packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    let channel: ReplyChannel;
    try {
      channel = this.mux.open(subjectOf(this.options.namespace, packet.pattern as BusPattern), encodeJson(packet.data), requestHeaders({ requestId: '' }));
    } catch (error) {
      callback({ err: error, isDisposed: true });
      return () => undefined;
    }
    const timer = setTimeout(() => channel.fail(new SwitchboardError('upstream_unavailable', `No answer within ${this.options.defaultTimeoutMs} ms`)), this.options.defaultTimeoutMs);
    void (async () => {
      for (;;) {
        const frame = await channel.next();
        if (frame.kind === 'parts') {
          callback({ response: frame.parts });
          continue;
        }
        clearTimeout(timer);
        if (frame.kind === 'error') callback({ err: frame.error, isDisposed: true });
        else if (frame.kind === 'result') callback({ response: frame.result, isDisposed: true });
        else callback({ isDisposed: true });
        return;
      }
    })();
    return () => {
      clearTimeout(timer);
      channel.close();
    };
  }

  protected dispatchEvent<T = unknown>(packet: ReadPacket): Promise<T> {
    this.options.connection.publish(subjectOf(this.options.namespace, packet.pattern as BusPattern), encodeJson(packet.data));
    return Promise.resolve(undefined as T);
  }
}

function answerOf<T>(frame: ReplyFrame): T {
  if (frame.kind === 'error') throw frame.error;
  if (frame.kind === 'result') return frame.result as T;
  if (frame.kind === 'end') return undefined as T;
  throw new SwitchboardError('internal', 'A stream answered a request that expects one reply');
}
