import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { repositoryRoot } from './service-process';
import { canConnect, hostAndPort, serviceUrls } from './service-urls';

/**
 * Runs once per `vitest run`: gives the run an id that every isolation derives its names from,
 * builds the apps the end-to-end tests spawn, and checks the services are reachable.
 */
export default async function setup(): Promise<void> {
  process.env.SWITCHBOARD_TEST_RUN_ID ??= randomBytes(3).toString('hex');
  execFileSync(process.execPath, [join(repositoryRoot, 'tools', 'build.mjs')], { stdio: 'ignore' });
  const urls = serviceUrls();
  const services = [
    { name: 'NATS', url: urls.natsUrl, port: 4222, variable: 'NATS_URL' },
    { name: 'PostgreSQL', url: urls.databaseUrl, port: 5432, variable: 'DATABASE_URL' },
    { name: 'Redis', url: urls.redisUrl, port: 6379, variable: 'REDIS_URL' },
  ];
  for (const service of services) {
    const { host, port } = hostAndPort(service.url, service.port);
    if (!(await canConnect(host, port))) {
      throw new Error(`${service.name} is not reachable at ${host}:${port} (${service.variable}). Start it (see README, "Running the tests").`);
    }
  }
}
