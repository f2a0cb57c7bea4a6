import { Inject, Injectable } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { SwitchboardError } from '@switchboard/spec';
import { KEY_VERIFIER } from '../bootstrap/tokens';
import type { KeyVerifier, VerifiedKey } from './key-verifier';
import { readApiKey } from './read-api-key';
import { authorizeRoute } from './route-access';

export type AuthenticatedRequest = FastifyRequest & { verifiedKey?: VerifiedKey };

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(@Inject(KEY_VERIFIER) private readonly verifier: KeyVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = readApiKey(request.headers);
    if (!key) {
      throw new SwitchboardError(
        'authentication',
        'You did not provide an API key. Send it as "Authorization: Bearer <key>".',
      );
    }
    request.verifiedKey = await this.verifier.verify(key);
    authorizeRoute(request.verifiedKey.identity, request.method, request.url);
    return true;
  }
}
