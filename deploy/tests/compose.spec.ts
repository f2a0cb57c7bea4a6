import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Service {
  image?: string;
  build?: { dockerfile?: string; args?: Record<string, string> };
  healthcheck?: { test: unknown };
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string>;
  restart?: string;
  profiles?: string[];
}

const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const dockerfile = readFileSync(join(root, 'deploy', 'Dockerfile'), 'utf8');

describe('docker-compose.yml', () => {
  it('runs the infrastructure, the migrations and every Switchboard service', () => {
    // Services in a profile (observability-profile.spec.ts) start only when it is asked for.
    const core = Object.entries(compose.services).filter(([, service]) => !service.profiles?.length).map(([name]) => name);
    expect(core.sort()).toEqual(['auth', 'budget', 'gateway', 'logging', 'migrate', 'nats', 'postgres', 'redis', 'worker-default']);
    expect(compose.services.migrate.restart).toBe('no');
  });

  it('builds each app from the one Dockerfile with its APP argument', () => {
    for (const [name, app] of [['gateway', 'gateway'], ['worker-default', 'worker'], ['auth', 'auth'], ['budget', 'budget'], ['logging', 'logging'], ['migrate', 'migrate']]) {
      expect(compose.services[name].build).toMatchObject({ dockerfile: 'deploy/Dockerfile', args: { APP: app } });
    }
  });

  it('every dependency names a service and a condition compose knows', () => {
    for (const service of Object.values(compose.services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect(compose.services[dependency]).toBeDefined();
        expect(['service_started', 'service_healthy', 'service_completed_successfully']).toContain(condition);
        if (condition === 'service_healthy') expect(compose.services[dependency].healthcheck ?? dockerfile.includes('HEALTHCHECK')).toBeTruthy();
      }
    }
  });

  it('gives the services the variables the apps read', () => {
    for (const name of ['gateway', 'worker-default', 'auth', 'budget', 'logging', 'migrate']) {
      expect(Object.keys(compose.services[name].environment ?? {})).toEqual(expect.arrayContaining(['NATS_URL', 'DATABASE_URL', 'REDIS_URL', 'SWITCHBOARD_CONFIG']));
    }
    expect(compose.services.nats.healthcheck).toBeDefined();
    expect(Object.keys(compose.volumes)).toContain('nats-data');
  });
});

describe('deploy/Dockerfile', () => {
  it('builds in one stage and runs as non-root under tini, with production dependencies only', () => {
    // The current Node.js LTS (26), in both stages; package.json engines and CI cover it (deploy/README.md).
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:26-trixie-slim$/m);
    expect(dockerfile).toMatch(/^FROM \$\{NODE_IMAGE\} AS build$/m);
    expect(dockerfile).toMatch(/^FROM \$\{NODE_IMAGE\} AS production$/m);
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines.node).toBe('^20.19.0 || ^26.0.0');
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/^USER 10001:10001$/m);
    expect(dockerfile).toMatch(/ENTRYPOINT \["\/usr\/bin\/tini", "--"\]/);
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
  });
});
