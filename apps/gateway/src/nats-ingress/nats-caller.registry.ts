import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createInbox } from '@nats-io/transport-node';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { NATS_CONNECTION } from '@switchboard/messaging';
import { NatsCaller } from './nats-caller';

/**
 * The NATS callers with a request in flight, so a cancel (by inbox) or an unanswered probe stops
 * theirs. Stream messages carry `<probePrefix>.<token>` as their reply subject: the server's "no
 * responders" status on it says that caller's inbox has no subscriber any more. The probe inbox
 * is part of the reply path, like the bus client's reply inbox, not a handler pattern.
 */
@Injectable()
export class NatsCallerRegistry implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly probePrefix = createInbox();
  private readonly callers = new Map<string, NatsCaller>();
  private readonly callersByInbox = new Map<string, NatsCaller>();
  private sequence = 0;
  private probes: Subscription | undefined;

  constructor(@Inject(NATS_CONNECTION) private readonly connection: NatsConnection) {}

  onApplicationBootstrap(): void {
    this.probes = this.connection.subscribe(`${this.probePrefix}.*`, {
      callback: (_error, message) => {
        if (message.headers?.code === 503) this.callers.get(message.subject.slice(this.probePrefix.length + 1))?.leave();
      },
    });
  }

  onApplicationShutdown(): void {
    this.probes?.unsubscribe();
  }

  /** The caller reading on `inbox`, until `release()`. */
  open(inbox: string): NatsCaller {
    const token = String(++this.sequence);
    const caller = new NatsCaller(`${this.probePrefix}.${token}`, () => {
      this.callers.delete(token);
      if (this.callersByInbox.get(inbox) === caller) this.callersByInbox.delete(inbox);
    });
    this.callers.set(token, caller);
    this.callersByInbox.set(inbox, caller);
    return caller;
  }

  /** The caller asked to stop the stream it reads on `inbox`. */
  cancel(inbox: string): void {
    this.callersByInbox.get(inbox)?.leave();
  }
}
