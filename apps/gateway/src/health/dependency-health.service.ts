import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationShutdown } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Redis } from 'ioredis';
import { ResponseRepository } from '@switchboard/data-access-responses';
import { NATS_CONNECTION } from '@switchboard/messaging';
import type { SwitchboardConfig } from '@switchboard/config';
import { REDIS, SWITCHBOARD_CONFIG } from '../bootstrap/tokens';

export type DependencyStatus = 'connected' | 'disconnected';

export interface ReadinessReport {
  ready: boolean;
  draining: boolean;
  nats: DependencyStatus;
  postgres: DependencyStatus;
  redis: DependencyStatus;
}

const probeTimeoutMs = 1_000;

/** Probes NATS, Postgres and Redis for the readiness route; each probe is bounded to one second. */
@Injectable()
export class DependencyHealthService implements OnApplicationShutdown {
  private draining = false;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nats: NatsConnection,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(ResponseRepository) private readonly responses: ResponseRepository,
    @Inject(SWITCHBOARD_CONFIG) config: SwitchboardConfig,
  ) {
    this.postgresOptional = config.generalSettings.allow_requests_on_db_unavailable === true;
  }

  /** `allow_requests_on_db_unavailable`: readiness does not wait for PostgreSQL (LiteLLM's). */
  private readonly postgresOptional: boolean;

  /** Readiness fails first when the process starts draining, so load balancers stop sending. */
  startDraining(): void {
    this.draining = true;
  }

  async readiness(): Promise<ReadinessReport> {
    const [postgres, redis] = await Promise.all([this.probePostgres(), this.probeRedis()]);
    const nats: DependencyStatus = this.nats.isClosed() || this.nats.isDraining() ? 'disconnected' : 'connected';
    const ready = !this.draining && nats === 'connected' && (postgres === 'connected' || this.postgresOptional) && redis === 'connected';
    return { ready, draining: this.draining, nats, postgres, redis };
  }

  private async probePostgres(): Promise<DependencyStatus> {
    try {
      await withTimeout(this.responses.ping());
      return 'connected';
    } catch {
      return 'disconnected';
    }
  }

  private async probeRedis(): Promise<DependencyStatus> {
    try {
      await withTimeout(this.redis.ping());
      return 'connected';
    } catch {
      return 'disconnected';
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
    await this.responses.close().catch(() => undefined);
  }
}

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), probeTimeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
}
