import { Inject, Injectable } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { SwitchboardError } from '@switchboard/spec';
import type { SwitchboardConfig } from '@switchboard/config';
import { KEY_VERIFIER, SWITCHBOARD_CONFIG } from '../bootstrap/tokens';
import { AllowedIps } from './allowed-ips';
import { UiSessionService } from '../ui/ui-session.service';
import type { KeyVerifier, VerifiedKey } from './key-verifier';
import { readApiKey } from './read-api-key';
import { authorizeRoute } from './route-access';

export type AuthenticatedRequest = FastifyRequest & { verifiedKey?: VerifiedKey };

/**
 * A request presents a key (`Authorization: Bearer`, `x-api-key`, `api-key`), or, from the admin
 * UI, a session cookie that resolves to the key it signed in with. A presented key always wins,
 * so the session never changes what an API client is.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly allowedIps: AllowedIps | undefined;
  private readonly keyHeader: string | undefined;

  constructor(
    @Inject(KEY_VERIFIER) private readonly verifier: KeyVerifier,
    @Inject(UiSessionService) private readonly sessions: UiSessionService,
    @Inject(SWITCHBOARD_CONFIG) config: SwitchboardConfig,
  ) {
    this.allowedIps = AllowedIps.from(config.generalSettings);
    const header = config.generalSettings.litellm_key_header_name;
    this.keyHeader = typeof header === 'string' && header ? header : undefined;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    this.allowedIps?.assertAllowed(request.socket.remoteAddress, request.headers);
    const key = readApiKey(request.headers, this.keyHeader);
    const verified = key ? await this.verifier.verify(key) : await this.sessions.authenticate(request);
    if (!verified) {
      throw new SwitchboardError(
        'authentication',
        'You did not provide an API key. Send it as "Authorization: Bearer <key>".',
      );
    }
    request.verifiedKey = verified;
    authorizeRoute(request.verifiedKey.identity, request.method, request.url);
    return true;
  }
}
