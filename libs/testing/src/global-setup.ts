import { randomBytes } from 'node:crypto';
import { createTemplateDatabase, dropTemplateDatabase } from './template-database';
import { startTestcontainers } from './testcontainers';
import { canConnect, hostAndPort, serviceUrls } from './service-urls';

/**
 * Runs once per `vitest run` for the tests that need services: gives the run an id that every
 * isolation derives its names from, finds NATS, PostgreSQL and Redis (the `NATS_URL`, `DATABASE_URL`,
 * `REDIS_URL` given, else the local default ports, else — where a Docker engine is reachable —
 * containers started with Testcontainers), and migrates one template database that every test
 * file's database is cloned from.
 */
export default async function setup(): Promise<() => Promise<void>> {
  process.env.SWITCHBOARD_TEST_RUN_ID ??= randomBytes(3).toString('hex');
  const containers = await startTestcontainers();
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
  const template = process.env.SWITCHBOARD_TEST_TEMPLATE_DB ? undefined : await createTemplateDatabase(urls.databaseUrl, process.env.SWITCHBOARD_TEST_RUN_ID);
  if (template) process.env.SWITCHBOARD_TEST_TEMPLATE_DB = template;
  return async () => {
    if (template) await dropTemplateDatabase(urls.databaseUrl, template);
    await containers?.stop();
  };
}
