import type { FastifyInstance } from 'fastify';
import { openAiErrorBody } from '@switchboard/api-openai';
import { SwitchboardError } from '@switchboard/spec';
import { errorHeaders } from '../http/error-response';

/**
 * Fastify-level behaviour Nest does not own: `x-request-id` on every response, and refusing new
 * work while draining. Errors raised before a route runs (bad JSON, body too large, unknown route)
 * reach the Nest exception filter as HttpExceptions.
 */
export function installHttpHooks(fastify: FastifyInstance, isDraining: () => boolean): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    if (isDraining() && !request.url.startsWith('/health')) {
      // Shutting down: new work goes to another instance; in-flight work finishes here.
      const payload = new SwitchboardError('upstream_unavailable', 'This gateway instance is shutting down', {
        retryAfterSeconds: 1,
      }).toPayload();
      void reply.code(503).headers({ ...errorHeaders(payload), connection: 'close' }).send(openAiErrorBody(payload));
      return;
    }
    done();
  });
}
