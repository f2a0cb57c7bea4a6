import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import type { SwitchboardConfig } from '@switchboard/config';
import type { SubjectNamespace } from '@switchboard/contracts';
import { MessagingModule, NATS_CONNECTION, NatsBusClient } from '@switchboard/messaging';
import type { Logger, Tracing } from '@switchboard/observability';
import { AdmissionService } from './admission/admission.service';
import { BudgetAlertPublisher } from './admission/budget-alert.publisher';
import { LedgerSpendClient } from './admission/ledger-spend.client';
import { pricingProvider } from './admission/pricing.provider';
import { AuthGuard } from './auth/auth.guard';
import { CustomerVerifier } from './auth/customer-verifier';
import { IdentityEventsService } from './auth/identity-events.service';
import { VirtualKeyVerifier } from './auth/virtual-key.verifier';
import { BUS_CLIENT, GATEWAY_SETTINGS, KEY_VERIFIER, LOGGER, MASTER_KEY, SUBJECT_NAMESPACE, SWITCHBOARD_CONFIG, TRACING } from './bootstrap/tokens';
import { responsesRepositoryProvider } from './bootstrap/postgres.provider';
import { redisProvider } from './bootstrap/redis.provider';
import { ResponseCacheHook } from './cache/response-cache.hook';
import { ResponseCacheService } from './cache/response-cache.service';
import { ChatAttemptService } from './chat/chat-attempt.service';
import { WorkerDispatchService } from './chat/worker-dispatch.service';
import type { GatewaySettings } from './gateway-settings.schema';
import { DependencyHealthService } from './health/dependency-health.service';
import { GatewayMetricsService } from './metrics/gateway-metrics.service';
import { NatsApiKeyGuard } from './nats-ingress/nats-api.guard';
import { NatsCallerRegistry } from './nats-ingress/nats-caller.registry';
import { NatsEdge } from './nats-ingress/nats-edge.service';
import { LIFECYCLE_HOOKS } from './lifecycle/lifecycle-hooks';
import { RequestEntry } from './lifecycle/request-entry.service';
import { RequestPipeline } from './lifecycle/request-pipeline.service';
import { ResponseStoreService } from './responses/response-store.service';
import { ResponsesService } from './responses/responses.service';
import { ModelRouter } from './routing/model-router.service';
import { StoredModelsService } from './routing/stored-models.service';
import { SpendReportsClient } from './spend/spend-reports.client';
import { FailedRequestUsageService } from './usage/failed-request-usage.service';
import { uiProviders } from './ui/ui.providers';
import { gatewayControllers } from './http/gateway-controllers';

export interface GatewayBoot {
  settings: GatewaySettings;
  config: SwitchboardConfig;
  namespace: SubjectNamespace;
  connection: NatsConnection;
  logger: Logger;
  masterKey: string;
  tracing: Tracing;
}

@Module({})
export class GatewayModule {
  static create(boot: GatewayBoot): DynamicModule {
    return {
      module: GatewayModule,
      imports: [MessagingModule.forConnection(boot.connection)],
      controllers: gatewayControllers,
      providers: [
        { provide: GATEWAY_SETTINGS, useValue: boot.settings },
        { provide: SWITCHBOARD_CONFIG, useValue: boot.config },
        { provide: SUBJECT_NAMESPACE, useValue: boot.namespace },
        { provide: LOGGER, useValue: boot.logger },
        { provide: TRACING, useValue: boot.tracing },
        { provide: MASTER_KEY, useValue: boot.masterKey },
        VirtualKeyVerifier,
        CustomerVerifier,
        { provide: KEY_VERIFIER, useExisting: VirtualKeyVerifier },
        StoredModelsService,
        IdentityEventsService,
        {
          provide: BUS_CLIENT,
          useFactory: (connection: NatsConnection) => new NatsBusClient({ connection, namespace: boot.namespace, defaultTimeoutMs: boot.settings.AUTH_TIMEOUT_MS }),
          inject: [NATS_CONNECTION],
        },
        redisProvider,
        responsesRepositoryProvider,
        AuthGuard,
        ModelRouter,
        WorkerDispatchService,
        ChatAttemptService,
        RequestPipeline,
        RequestEntry,
        ResponseCacheService,
        ResponseCacheHook,
        {
          provide: LIFECYCLE_HOOKS,
          // The response cache is a hook only when litellm_settings.cache is on: otherwise the pipeline has none.
          useFactory: (cache: ResponseCacheHook) => (boot.config.cache ? [cache] : []),
          inject: [ResponseCacheHook],
        },
        FailedRequestUsageService,
        ResponseStoreService,
        ResponsesService,
        GatewayMetricsService,
        pricingProvider,
        AdmissionService,
        BudgetAlertPublisher,
        NatsCallerRegistry,
        NatsEdge,
        NatsApiKeyGuard,
        LedgerSpendClient,
        SpendReportsClient,
        DependencyHealthService,
        ...uiProviders,
      ],
    };
  }
}
