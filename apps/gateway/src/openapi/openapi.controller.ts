import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Controller, Get, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { SwitchboardError } from '@switchboard/spec';
import { gatewayControllers } from '../http/gateway-controllers';
import { routeTable } from '../http/route-table';
import { openApiDocument } from './openapi-document';

/** Swagger UI's files this page uses, from the `swagger-ui-dist` package. */
const assets: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const page = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Switchboard API</title><link rel="stylesheet" href="/docs/swagger-ui.css"><link rel="icon" href="/docs/favicon-32x32.png"></head>
<body><div id="swagger-ui"></div><script src="/docs/swagger-ui-bundle.js"></script><script src="/docs/swagger-ui-standalone-preset.js"></script><script src="/docs/initializer.js"></script></body>
</html>`;

const initializer = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout' });`;

/**
 * LiteLLM serves its endpoint docs; so does Switchboard: `GET /openapi.json` (OpenAPI 3.1, built from
 * the real route table and request schemas) and Swagger UI at `/docs` (`/` redirects there). Public,
 * as LiteLLM's are: they describe routes, never data.
 */
@Controller()
export class OpenApiController {
  private document: Record<string, unknown> | undefined;
  private readonly assetDirectory = dirname(require.resolve('swagger-ui-dist/package.json'));

  @Get('openapi.json')
  openApi(): Record<string, unknown> {
    this.document ??= openApiDocument(routeTable(gatewayControllers), '0.1.0');
    return this.document;
  }

  @Get()
  root(@Res() reply: FastifyReply): void {
    void reply.redirect('/docs', 302);
  }

  @Get('docs')
  docs(@Res() reply: FastifyReply): void {
    void reply.header('content-type', 'text/html; charset=utf-8').send(page);
  }

  @Get('docs/:file')
  asset(@Param('file') file: string, @Res() reply: FastifyReply): void {
    if (file === 'initializer.js') {
      void reply.header('content-type', 'text/javascript; charset=utf-8').send(initializer);
      return;
    }
    const type = assets[file];
    if (!type) throw new SwitchboardError('not_found', `No such file: /docs/${file.slice(0, 80)}`, { param: null });
    void reply.header('content-type', type).header('cache-control', 'public, max-age=86400').send(readFileSync(join(this.assetDirectory, file)));
  }
}
