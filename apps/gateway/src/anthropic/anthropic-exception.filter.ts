import { Catch, Inject } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { anthropicErrorBody } from '@switchboard/api-anthropic';
import type { Logger } from '@switchboard/observability';
import { LOGGER } from '../bootstrap/tokens';
import type { SwitchboardError } from '@switchboard/spec';
import { errorHeaders, toSwitchboardError } from '../http/error-response';

/** Errors on Anthropic routes leave in Anthropic's shape, with `request-id` as its SDK reads it. */
@Catch()
export class AnthropicExceptionFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const error = toSwitchboardError(exception);
    if (error.code === 'internal') this.logger.error({ requestId: request.id, err: exception }, 'unhandled error');
    if (reply.sent || reply.raw.headersSent) return;
    const payload = error.toPayload();
    void reply
      .code(payload.status)
      .headers({ ...errorHeaders(payload), 'request-id': request.id })
      .send(anthropicErrorBody(payload, request.id));
  }
}

export function anthropicErrorResponse(response: ServerResponse, requestId: string, error: SwitchboardError, extraHeaders: Record<string, string> = {}): void {
  if (response.headersSent || response.destroyed) return;
  const payload = error.toPayload();
  const body = JSON.stringify(anthropicErrorBody(payload, requestId));
  response.writeHead(payload.status, {
    ...extraHeaders,
    ...errorHeaders(payload),
    'x-request-id': requestId,
    'request-id': requestId,
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}
