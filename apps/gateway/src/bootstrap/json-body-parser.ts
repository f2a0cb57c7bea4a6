import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RawServerDefault } from 'fastify';
import { checkInputBounds } from '../http/input-bounds';
import type { InputBounds } from '../http/input-bounds';

/**
 * The JSON body parser: Fastify's own (prototype poisoning refused), limited to
 * `max_request_size_mb`, then the input bounds on the parsed value, so the body is parsed once
 * and a body nested 5,000 levels deep is a 400 naming the limit before any route sees it.
 */
export function installJsonBodyParser(app: NestFastifyApplication, bodyLimit: number, bounds: InputBounds): void {
  const fastify = app.getHttpAdapter().getInstance();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser<RawServerDefault>('application/json', { bodyLimit }, (request, body, done) => {
    // Fastify's parser takes the raw body as a Buffer too; its type says string.
    parseJson(request, body as unknown as string, (error, value) => {
      if (error) {
        done(error, undefined);
        return;
      }
      try {
        checkInputBounds(value, bounds);
      } catch (failure) {
        done(failure as Error, undefined);
        return;
      }
      done(null, value);
    });
  });
}
