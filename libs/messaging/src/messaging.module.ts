import { Inject, Module } from '@nestjs/common';
import type { DynamicModule, OnApplicationShutdown } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectNats } from './nats-connection';
import type { NatsConnectionOptions } from './nats-connection';

/** Injection token of the process's NATS connection. */
export const NATS_CONNECTION = Symbol('NATS_CONNECTION');

class NatsConnectionCloser implements OnApplicationShutdown {
  constructor(@Inject(NATS_CONNECTION) private readonly connection: NatsConnection) {}

  async onApplicationShutdown(): Promise<void> {
    if (!this.connection.isClosed()) await this.connection.drain().catch(() => this.connection.close());
  }
}

/**
 * A thin Nest module over `@nats-io/transport-node`: it owns the connection's lifecycle and
 * nothing else. Subjects, framing and queue groups are in this library's plain classes,
 * so they can be used and tested without Nest.
 */
@Module({})
export class MessagingModule {
  static forRoot(options: NatsConnectionOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: NATS_CONNECTION, useFactory: () => connectNats(options) },
        NatsConnectionCloser,
      ],
      exports: [NATS_CONNECTION],
    };
  }

  /** For a connection the caller already opened (tests, the launcher). */
  static forConnection(connection: NatsConnection): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [{ provide: NATS_CONNECTION, useValue: connection }, NatsConnectionCloser],
      exports: [NATS_CONNECTION],
    };
  }
}
