import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SwitchboardError } from '@switchboard/spec';
import { UI_ASSETS } from '../bootstrap/tokens';
import type { UiAssets } from './ui-assets';

/**
 * What the browser may do with the UI's pages: scripts only from this origin (no inline script, so
 * injected markup cannot run), no framing, no third-party connections. Styles allow inline
 * attributes, which the component library sets.
 */
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Serves the built admin UI under `/ui/`: hashed assets immutable, `index.html` never cached. */
@Controller()
export class UiAssetsController {
  constructor(@Inject(UI_ASSETS) private readonly assets: UiAssets) {}

  @Get(['ui', 'ui/*'])
  serve(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    if (request.url.split('?')[0] === '/ui') {
      void reply.code(301).header('location', '/ui/').send();
      return;
    }
    if (!this.assets.built) throw new SwitchboardError('not_found', 'The admin UI is not built: run `npm run build`.', { param: null });
    const path = request.url.split('?')[0].slice('/ui/'.length);
    const asset = this.assets.resolve(path);
    if (!asset) throw new SwitchboardError('not_found', `No such file: /ui/${path}`, { param: null });
    void reply.header('content-type', asset.contentType);
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('etag', asset.etag);
    if (asset.immutable) {
      void reply.header('cache-control', 'public, max-age=31536000, immutable');
    } else {
      void reply.header('cache-control', 'no-cache');
      void reply.header('content-security-policy', contentSecurityPolicy);
      void reply.header('x-frame-options', 'DENY');
      void reply.header('referrer-policy', 'same-origin');
    }
    if (request.headers['if-none-match'] === asset.etag) {
      void reply.code(304).send();
      return;
    }
    void reply.send(asset.body);
  }
}
