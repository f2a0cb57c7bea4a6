import { Server } from '@nestjs/microservices';
import type { CustomTransportStrategy, MessageHandler } from '@nestjs/microservices';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { isObservable, lastValueFrom } from 'rxjs';
import { messageHeaders } from '@switchboard/contracts';
import type { BusPattern, SubjectNamespace } from '@switchboard/contracts';
import { subjectOf } from '@switchboard/contracts';
import { SwitchboardError } from '@switchboard/spec';
import { decodeJson } from '../json-codec';
import { PayloadStore } from '../payload-store';
import { ReplyWriter } from '../reply-writer';
import { BusContext } from './bus-context';
import type { BusPatternExtras } from './bus-patterns';

export interface BusTransportLogger {
  error(details: Record<string, unknown>, message: string): void;
}

export interface NatsBusTransportOptions {
  connection: NatsConnection;
  namespace: SubjectNamespace;
  /** The keys of routed patterns (`@MessagePattern(p, { routedBy: 'providers' })`): one subscription per key. */
  routingKeys?: Readonly<Record<string, readonly string[]>>;
  /** The request id of an incoming message (default: its `sb-request-id` header). The public API mints its own. */
  requestIdOf?: (message: Msg) => string;
  /**
   * Handlers of patterns with `heartbeat: true` send an empty heartbeat when their reply has been
   * silent this long, so the caller can tell a slow upstream from a dead process. 0: none.
   */
  heartbeatMs?: number;
  logger?: BusTransportLogger;
}

interface Binding {
  subject: string;
  queue?: string;
}

/**
 * The Nest transport of every Switchboard service (docs/ARCHITECTURE.md D1): `@MessagePattern` and
 * `@EventPattern` handlers served over the process's one NATS connection, with the lean wire of the
 * bus: raw JSON payloads (no envelope), request id and trace context in headers, queue groups per
 * pattern, and the one reply format of reply-frames.ts (streams coalesced per event-loop turn by the
 * handler's ReplyWriter). A handler returns its answer, or streams through `context.reply`; what it
 * throws goes through its exception filter (BusExceptionFilter) and becomes the one error reply.
 */
export class NatsBusTransport extends Server implements CustomTransportStrategy {
  private readonly subscriptions: Subscription[] = [];
  private readonly active = new Set<Promise<void>>();
  /** Replies of handlers that asked for heartbeats, while they run. */
  private readonly beating = new Set<ReplyWriter>();
  private readonly payloads: PayloadStore;
  private heartbeats: NodeJS.Timeout | undefined;

  constructor(private readonly options: NatsBusTransportOptions) {
    super();
    this.payloads = new PayloadStore(options.connection, options.namespace);
  }

  listen(callback: (error?: unknown) => void): void {
    try {
      for (const [pattern, handler] of this.messageHandlers) this.bind(pattern, handler);
      const interval = this.options.heartbeatMs ?? 0;
      if (interval > 0) {
        this.heartbeats = setInterval(() => this.beat(interval), Math.max(100, Math.floor(interval / 2)));
        this.heartbeats.unref();
      }
      callback();
    } catch (error) {
      callback(error);
    }
  }

  /** Messages being handled now. */
  get inFlight(): number {
    return this.active.size;
  }

  /** Stops taking messages, then waits for those in flight up to `timeoutMs`; resolves with how many were still running. */
  async drain(timeoutMs: number): Promise<number> {
    this.unsubscribe();
    if (this.active.size === 0) return 0;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.allSettled([...this.active]), timeout]);
    clearTimeout(timer);
    return this.active.size;
  }

  close(): void {
    clearInterval(this.heartbeats);
    this.unsubscribe();
  }

  on(): void {
    // Connection status is the connection's own (nats-connection.ts); the transport raises no events.
  }

  unwrap<T>(): T {
    return this.options.connection as T;
  }

  private unsubscribe(): void {
    for (const subscription of this.subscriptions.splice(0)) subscription.unsubscribe();
  }

  private bind(pattern: string, handler: MessageHandler): void {
    for (const { subject, queue } of this.bindingsOf(pattern as BusPattern, (handler.extras ?? {}) as BusPatternExtras)) {
      this.subscriptions.push(
        this.options.connection.subscribe(subject, {
          queue,
          callback: (error, message) => {
            if (error) return;
            const task = this.handle(handler, message).finally(() => this.active.delete(task));
            this.active.add(task);
          },
        }),
      );
    }
  }

  private bindingsOf(pattern: BusPattern, extras: BusPatternExtras): Binding[] {
    const { namespace } = this.options;
    if (extras.routedBy === undefined) {
      return [{ subject: subjectOf(namespace, pattern), queue: typeof extras.queue === 'function' ? undefined : extras.queue }];
    }
    const keys = this.options.routingKeys?.[extras.routedBy];
    if (!keys) throw new Error(`The bus transport has no routing keys '${extras.routedBy}' for ${pattern}`);
    return keys.map((key) => ({ subject: subjectOf(namespace, pattern, key), queue: typeof extras.queue === 'function' ? extras.queue(key) : extras.queue }));
  }

  private beat(interval: number): void {
    const now = Date.now();
    for (const reply of this.beating) if (now - reply.lastActivityAt >= interval) reply.heartbeat();
  }

  private async handle(handler: MessageHandler, message: Msg): Promise<void> {
    const requestId = this.options.requestIdOf?.(message) ?? (message.headers?.get(messageHeaders.requestId) || '');
    const reply = new ReplyWriter(this.options.connection, message.reply ?? '', requestId, (error) =>
      this.options.logger?.error({ requestId, subject: message.subject, err: error }, 'reply could not be published'),
    );
    const context = new BusContext([message, reply]);
    const beating = (handler.extras as BusPatternExtras | undefined)?.heartbeat === true && message.reply !== undefined;
    if (beating) this.beating.add(reply);
    try {
      await this.dispatch(handler, message, context);
    } finally {
      if (beating) this.beating.delete(reply);
    }
  }

  private async dispatch(handler: MessageHandler, message: Msg, context: BusContext): Promise<void> {
    const { reply, requestId } = context;
    let data: unknown;
    try {
      data = await this.payloadOf(message);
    } catch (error) {
      reply.error(
        error instanceof SyntaxError
          ? new SwitchboardError('invalid_request', 'The message payload is not valid JSON', { param: 'body' })
          : new SwitchboardError('upstream_unavailable', 'The command payload could not be read from the payload store', { retryAfterSeconds: 1 }),
      );
      return;
    }
    for (let current: MessageHandler | undefined = handler; current; current = current.next) {
      try {
        const returned: unknown = await current(data, context);
        const result = isObservable(returned) ? await lastValueFrom(returned, { defaultValue: undefined }) : returned;
        if (!current.isEventHandler) {
          if (result !== undefined) reply.result(result);
          else reply.end();
        }
      } catch (error) {
        if (current.isEventHandler) {
          this.options.logger?.error({ requestId, subject: message.subject, err: error }, 'event handler failed');
        } else {
          reply.error(SwitchboardError.from(error));
        }
      }
    }
  }

  /** The decoded payload: the message's own, or the one it names in the payload store (too large for one message). */
  private async payloadOf(message: Msg): Promise<unknown> {
    const reference = message.headers?.get(messageHeaders.payloadRef);
    const data = reference ? await this.payloads.take(reference) : message.data;
    return data.length === 0 ? {} : decodeJson(data);
  }
}
