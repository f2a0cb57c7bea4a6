import { Socket } from 'node:net';

export interface ServiceUrls {
  natsUrl: string;
  databaseUrl: string;
  redisUrl: string;
}

/**
 * Where the test services are: `NATS_URL`, `DATABASE_URL`, `REDIS_URL` when set, else the local
 * default ports. (Testcontainers would be the third choice where a Docker engine exists; this
 * project's machines have none, so a missing service is reported with how to start it.)
 */
export function serviceUrls(environment: NodeJS.ProcessEnv = process.env): ServiceUrls {
  return {
    natsUrl: environment.NATS_URL ?? 'nats://127.0.0.1:4222',
    databaseUrl: environment.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: environment.REDIS_URL ?? 'redis://127.0.0.1:6379',
  };
}

export function hostAndPort(url: string, defaultPort: number): { host: string; port: number } {
  const parsed = new URL(url.replace(/^nats:/, 'http:'));
  return { host: parsed.hostname || '127.0.0.1', port: parsed.port ? Number(parsed.port) : defaultPort };
}

export function canConnect(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => done(true));
  });
}
