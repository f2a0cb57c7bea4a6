import { Inject, Module } from '@nestjs/common';
import type { DynamicModule, InjectionToken, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Server } from 'node:http';
import { startHealthServer } from './health-server';
import type { HealthServerOptions } from './health-server';
import { ServiceHealth } from './service-health';
import type { HealthProbe } from './service-health';

export interface HealthModuleOptions {
  /** The providers the probes are built from. */
  inject?: InjectionToken[];
  /** The service's dependency probes, by name. */
  probes: (...dependencies: never[]) => Record<string, HealthProbe>;
  /** Serve `/health/*` on this port (services without an HTTP API); omitted: the app serves them itself. */
  server?: HealthServerOptions;
}

const HEALTH_SERVER_OPTIONS = Symbol('HEALTH_SERVER_OPTIONS');

class HealthServerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private server: Server | undefined;

  constructor(
    @Inject(ServiceHealth) private readonly health: ServiceHealth,
    @Inject(HEALTH_SERVER_OPTIONS) private readonly options: HealthServerOptions | undefined,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options) this.server = await startHealthServer(this.health, this.options);
  }

  onApplicationShutdown(): void {
    this.server?.close();
  }
}

/** Health probes, readiness and the probe server: the same for every Switchboard service. */
@Module({})
export class HealthModule {
  static forRoot(options: HealthModuleOptions): DynamicModule {
    return {
      module: HealthModule,
      global: true,
      providers: [
        { provide: ServiceHealth, inject: options.inject ?? [], useFactory: (...dependencies: never[]) => new ServiceHealth(options.probes(...dependencies)) },
        { provide: HEALTH_SERVER_OPTIONS, useValue: options.server },
        HealthServerHost,
      ],
      exports: [ServiceHealth],
    };
  }
}
