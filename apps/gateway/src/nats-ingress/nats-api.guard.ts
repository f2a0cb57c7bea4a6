import { Inject, Injectable, SetMetadata } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { apiHeaders } from '@switchboard/contracts';
import type { BusContext } from '@switchboard/messaging';
import { SwitchboardError } from '@switchboard/spec';
import type { KeyVerifier, VerifiedKey } from '../auth/key-verifier';
import { authorizeRoute } from '../auth/route-access';
import { KEY_VERIFIER } from '../bootstrap/tokens';

export interface HttpRouteEquivalent {
  method: 'GET' | 'POST';
  route: string;
}

const HTTP_ROUTE = Symbol('HTTP_ROUTE');
const VERIFIED_KEY = Symbol('VERIFIED_KEY');

/** The HTTP route a subject stands for, so a key's `key_type` / `allowed_routes` apply over NATS too. */
export const StandsFor = (method: HttpRouteEquivalent['method'], route: string) => SetMetadata(HTTP_ROUTE, { method, route } satisfies HttpRouteEquivalent);

/** The key the guard verified for this message. */
export function verifiedKeyOf(context: BusContext): VerifiedKey {
  const verified = context.state.get(VERIFIED_KEY) as VerifiedKey | undefined;
  if (!verified) throw new SwitchboardError('authentication', 'The request was not authenticated');
  return verified;
}

/**
 * The public NATS API's authentication: the `authorization` header's key, verified exactly as on
 * HTTP, and the route the subject stands for checked against the key's allowed routes.
 */
@Injectable()
export class NatsApiKeyGuard implements CanActivate {
  constructor(
    @Inject(KEY_VERIFIER) private readonly verifier: KeyVerifier,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  async canActivate(execution: ExecutionContext): Promise<boolean> {
    const context = execution.switchToRpc().getContext<BusContext>();
    const key = (context.header(apiHeaders.authorization) ?? '').replace(/^Bearer\s+/i, '').trim();
    if (!key) throw new SwitchboardError('authentication', `You did not provide an API key. Send it in the '${apiHeaders.authorization}' header.`);
    const verified = await this.verifier.verify(key);
    const route = this.reflector.get<HttpRouteEquivalent | undefined>(HTTP_ROUTE, execution.getHandler());
    if (route) authorizeRoute(verified.identity, route.method, route.route);
    context.state.set(VERIFIED_KEY, verified);
    return true;
  }
}
