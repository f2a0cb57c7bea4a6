import { Catch, Inject } from '@nestjs/common';
import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { anthropicErrorBody } from '@switchboard/api-anthropic';
import { openAiErrorBody } from '@switchboard/api-openai';
import type { Logger } from '@switchboard/observability';
import { LOGGER } from '../bootstrap/tokens';
import { errorHeaders, toSwitchboardError } from './error-response';

/** Every error on an OpenAI route leaves as OpenAI error JSON with its status and `x-request-id` (Anthropic's shape on `/v1/messages`). */
@Catch()
export class OpenAiExceptionFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const error = toSwitchboardError(exception);
    if (error.code === 'internal') this.logger.error({ requestId: request.id, err: exception }, 'unhandled error');
    if (reply.sent || reply.raw.headersSent) return;
    const payload = error.toPayload();
    // A body refused before the route ran (bad JSON, input bounds) on an Anthropic route: Anthropic's shape.
    if (request.url.startsWith('/v1/messages')) {
      void reply.code(payload.status).headers({ ...errorHeaders(payload), 'request-id': request.id }).send(anthropicErrorBody(payload, request.id));
      return;
    }
    void reply.code(payload.status).headers(errorHeaders(payload)).send(openAiErrorBody(payload));
  }
}
