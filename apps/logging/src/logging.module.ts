import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import { HealthModule } from '@switchboard/observability';
import { LoggingConsumers } from './logging-consumers';
import { LoggingController } from './logging.controller';
import type { LoggingSettings } from './logging-settings.schema';

export interface LoggingBoot {
  settings: LoggingSettings;
  connection: NatsConnection;
  consumers: LoggingConsumers;
}

/** The logging service as a Nest microservice (docs/ARCHITECTURE.md D1): its JetStream handlers and its probes. */
@Module({})
export class LoggingModule {
  static create(boot: LoggingBoot): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        HealthModule.forRoot({
          probes: () => ({ nats: () => !boot.connection.isClosed() && !boot.connection.isDraining() }),
          server: { port: boot.settings.LOGGING_HEALTH_PORT, host: boot.settings.LOGGING_HEALTH_HOST },
        }),
      ],
      controllers: [LoggingController],
      providers: [{ provide: LoggingConsumers, useValue: boot.consumers }],
    };
  }
}
