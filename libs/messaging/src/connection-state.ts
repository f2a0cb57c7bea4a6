import type { NatsConnection } from '@nats-io/transport-node';

/**
 * Whether the process's NATS connection is up right now, from the client's status events. Whoever
 * waits on replies (ReplyMux) fails what is in flight when the connection drops, since replies
 * published while it is down never arrive, and refuses new commands until it is back.
 */
export class BusConnectionState {
  private up = true;
  private readonly lost: Array<() => void> = [];

  constructor(private readonly connection: NatsConnection) {
    void this.watch();
  }

  get connected(): boolean {
    return this.up && !this.connection.isClosed() && !this.connection.isDraining();
  }

  /** Called each time the connection drops (or is found stale). */
  onLost(listener: () => void): void {
    this.lost.push(listener);
  }

  private async watch(): Promise<void> {
    try {
      for await (const status of this.connection.status()) {
        if (status.type === 'disconnect' || status.type === 'staleConnection') {
          if (!this.up) continue;
          this.up = false;
          for (const listener of this.lost) listener();
        } else if (status.type === 'reconnect') {
          this.up = true;
        }
      }
    } catch {
      // The status iterator ends when the connection closes.
    }
    this.up = false;
  }
}
