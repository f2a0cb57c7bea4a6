import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import type { SubjectNamespace } from '@switchboard/contracts';
import { EventPublisher, MessagingModule } from '@switchboard/messaging';
import { HealthModule } from '@switchboard/observability';
import type { Logger, Tracing } from '@switchboard/observability';
import type { ProviderAdapter } from '@switchboard/spec';
import type { Registry } from 'prom-client';
import {
  LOGGER,
  METRICS_REGISTRY,
  TRACING,
  PROVIDER_REGISTRY,
  SUBJECT_NAMESPACE,
  USAGE_PUBLISHER,
  WORKER_ENVIRONMENT,
  WORKER_METRICS,
  WORKER_SETTINGS,
} from './bootstrap/tokens';
import { WorkerMetrics } from './metrics/worker-metrics';
import { CallSpans } from './tracing/call-spans';
import { ChatExecutionService } from './chat/chat-execution.service';
import { InFlightRegistry } from './chat/in-flight-registry';
import { ProviderCommandController } from './chat/provider-command.controller';
import { EmbedExecutionService } from './embeddings/embed-execution.service';
import { UsageRecorder } from './usage/usage-recorder.service';
import type { WorkerSettings } from './worker-settings.schema';

export interface WorkerBoot {
  settings: WorkerSettings;
  environment: Readonly<Record<string, string | undefined>>;
  namespace: SubjectNamespace;
  connection: NatsConnection;
  /** A connection of its own for the usage events' JetStream publishes, so their acknowledgements never queue behind reply frames. */
  usageConnection: NatsConnection;
  logger: Logger;
  registry: ReadonlyMap<string, ProviderAdapter>;
  metricsRegistry: Registry;
  tracing: Tracing;
}

@Module({})
export class WorkerModule {
  static create(boot: WorkerBoot): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        MessagingModule.forConnection(boot.connection),
        HealthModule.forRoot({
          probes: () => ({ nats: () => !boot.connection.isClosed() && !boot.connection.isDraining() }),
          server: { port: boot.settings.WORKER_HEALTH_PORT, host: boot.settings.WORKER_HEALTH_HOST },
        }),
      ],
      controllers: [ProviderCommandController],
      providers: [
        { provide: WORKER_SETTINGS, useValue: boot.settings },
        { provide: WORKER_ENVIRONMENT, useValue: boot.environment },
        { provide: SUBJECT_NAMESPACE, useValue: boot.namespace },
        { provide: LOGGER, useValue: boot.logger },
        { provide: PROVIDER_REGISTRY, useValue: boot.registry },
        {
          provide: USAGE_PUBLISHER,
          useValue: new EventPublisher(boot.usageConnection, {
            onRetry: (requestId, error) => boot.logger.warn({ requestId, err: error }, 'usage event not stored yet; retrying'),
          }),
        },
        { provide: METRICS_REGISTRY, useValue: boot.metricsRegistry },
        { provide: TRACING, useValue: boot.tracing },
        CallSpans,
        {
          provide: WORKER_METRICS,
          inject: [METRICS_REGISTRY, USAGE_PUBLISHER],
          useFactory: (registry: Registry, publisher: EventPublisher) => new WorkerMetrics(registry, () => publisher.pending),
        },
        InFlightRegistry,
        UsageRecorder,
        ChatExecutionService,
        EmbedExecutionService,
      ],
    };
  }
}
