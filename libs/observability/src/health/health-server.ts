import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { ServiceHealth } from './service-health';

export interface HealthServerOptions {
  port: number;
  host: string;
}

/**
 * The probes of a service without an HTTP API of its own, with LiteLLM's route names:
 * `/health/liveliness` (and `/health/liveness`) while the process runs, `/health/readiness` while its
 * dependencies answer and it is not draining. A plain node:http server: no web framework is loaded.
 */
export function startHealthServer(health: ServiceHealth, options: HealthServerOptions): Promise<Server> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path === '/health/liveliness' || path === '/health/liveness') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify("I'm alive!"));
      return;
    }
    if (path === '/health/readiness') {
      void health.readiness().then((report) => {
        response
          .writeHead(report.ready ? 200 : 503, { 'content-type': 'application/json' })
          .end(JSON.stringify({ status: report.ready ? 'connected' : 'unavailable', ...report.checks, draining: report.draining }));
      });
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not found' }));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve(server));
  });
}
