import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { NatsConnection } from '@nats-io/transport-node';

/** The worker's probes: `/health/liveliness` while the process runs, `/health/readiness` while it takes work. */
export function startWorkerHealthServer(
  port: number,
  host: string,
  connection: NatsConnection,
  isDraining: () => boolean,
): Promise<Server> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path === '/health/liveliness' || path === '/health/liveness') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify("I'm alive!"));
      return;
    }
    if (path === '/health/readiness') {
      const nats = connection.isClosed() || connection.isDraining() ? 'disconnected' : 'connected';
      const ready = nats === 'connected' && !isDraining();
      response
        .writeHead(ready ? 200 : 503, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: ready ? 'connected' : 'unavailable', nats, draining: isDraining() }));
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not found' }));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
