import { timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { Registry, collectDefaultMetrics } from 'prom-client';

export interface MetricsServerOptions {
  port: number;
  host: string;
  /** When set, scrapes must send `Authorization: Bearer <token>`. */
  token?: string;
}

/** One registry per process, with Node's default process metrics and a `service` label. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * Prometheus exposition on its own internal port (`/metrics`), never on the public API port.
 * https://prometheus.io/docs/instrumenting/exposition_formats/
 */
export function startMetricsServer(registry: Registry, options: MetricsServerOptions): Promise<Server> {
  const expected = options.token ? Buffer.from(`Bearer ${options.token}`) : undefined;
  const server = createServer((request, response) => {
    if ((request.url ?? '').split('?')[0] !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    if (expected) {
      const presented = Buffer.from(request.headers.authorization ?? '');
      if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
        response.writeHead(401, { 'www-authenticate': 'Bearer' }).end();
        return;
      }
    }
    registry
      .metrics()
      .then((text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text))
      .catch(() => response.writeHead(500).end());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve(server));
  });
}
