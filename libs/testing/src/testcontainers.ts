import { existsSync } from 'node:fs';
import { canConnect } from './service-urls';

export interface Containers {
  stop(): Promise<void>;
}

/** True when a Docker engine looks reachable (DOCKER_HOST, or the default socket). */
export function dockerReachable(environment: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(environment.DOCKER_HOST) || existsSync('/var/run/docker.sock');
}

/**
 * Testcontainers is the third way to get the test services: only when none is configured
 * (`NATS_URL`, `DATABASE_URL`, `REDIS_URL` unset), none answers on its local default port, and a
 * Docker engine is reachable. It then starts NATS (with JetStream), PostgreSQL and Redis and points
 * the run at them. Machines with the local servers (this project's CI) never load the package.
 */
export async function startTestcontainers(environment: NodeJS.ProcessEnv = process.env): Promise<Containers | undefined> {
  if (environment.NATS_URL || environment.DATABASE_URL || environment.REDIS_URL) return undefined;
  const local = await Promise.all([canConnect('127.0.0.1', 4222), canConnect('127.0.0.1', 5432), canConnect('127.0.0.1', 6379)]);
  if (local.every(Boolean) || !dockerReachable(environment)) return undefined;
  const { GenericContainer, Wait } = await import('testcontainers');
  const [nats, postgres, redis] = await Promise.all([
    new GenericContainer('nats:2.10-alpine').withCommand(['-js']).withExposedPorts(4222).withWaitStrategy(Wait.forLogMessage(/Server is ready/)).start(),
    new GenericContainer('postgres:16-alpine')
      .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
      .withExposedPorts(5432)
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .start(),
    new GenericContainer('redis:7-alpine').withExposedPorts(6379).start(),
  ]);
  environment.NATS_URL = `nats://${nats.getHost()}:${nats.getMappedPort(4222)}`;
  environment.DATABASE_URL = `postgres://postgres@${postgres.getHost()}:${postgres.getMappedPort(5432)}/postgres`;
  environment.REDIS_URL = `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`;
  return { stop: async () => void (await Promise.all([nats.stop(), postgres.stop(), redis.stop()])) };
}
