import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { messageHeaders } from '@switchboard/contracts';
import { SwitchboardError } from '@switchboard/spec';
import { ReplyWriter } from './reply-writer';

export interface CommandContext {
  message: Msg;
  requestId: string;
  reply: ReplyWriter;
}

export interface CommandServerOptions {
  subject: string;
  /** Omit for broadcast subjects (every instance receives every message). */
  queue?: string;
  handle: (context: CommandContext) => Promise<void>;
  onError?: (error: unknown, requestId: string) => void;
}

/**
 * Serves one command subject. Each message is handled concurrently; the handler owns the reply.
 * A handler that throws gets its error sent as an error frame, so the caller never hangs.
 */
export class CommandServer {
  private readonly subscription: Subscription;
  private readonly active = new Set<Promise<void>>();

  constructor(connection: NatsConnection, options: CommandServerOptions) {
    this.subscription = connection.subscribe(options.subject, {
      queue: options.queue,
      callback: (error, message) => {
        if (error) return;
        const requestId = message.headers?.get(messageHeaders.requestId) || '';
        const reply = new ReplyWriter(connection, message.reply ?? '', requestId);
        const task = options
          .handle({ message, requestId, reply })
          .catch((handlerError: unknown) => {
            options.onError?.(handlerError, requestId);
            if (message.reply) reply.error(SwitchboardError.from(handlerError).toPayload());
          })
          .finally(() => this.active.delete(task));
        this.active.add(task);
      },
    });
  }

  get inFlight(): number {
    return this.active.size;
  }

  /** Stops taking new commands. */
  stop(): void {
    this.subscription.unsubscribe();
  }

  /** Waits for the commands in flight, up to `timeoutMs`. Returns how many were still running. */
  async drain(timeoutMs: number): Promise<number> {
    this.stop();
    if (this.active.size === 0) return 0;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.allSettled([...this.active]), timeout]);
    clearTimeout(timer);
    return this.active.size;
  }
}
