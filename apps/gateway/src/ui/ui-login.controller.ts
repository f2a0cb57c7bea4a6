import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SwitchboardError } from '@switchboard/spec';
import type { VerifiedKey } from '../auth/key-verifier';
import { VirtualKeyVerifier } from '../auth/virtual-key.verifier';
import { GATEWAY_SETTINGS, MASTER_KEY } from '../bootstrap/tokens';
import type { GatewaySettings } from '../gateway-settings.schema';
import { LoginThrottle } from './login-throttle';
import { clearedSessionCookie, isSecureRequest, readCookie, sessionCookie, sessionCookieName } from './session-cookie';
import type { NewUiSession, UiSession } from './ui-session.service';
import { UiSessionService, csrfHeaderName, matchesCsrfToken } from './ui-session.service';

interface LoginBody {
  username?: unknown;
  password?: unknown;
  api_key?: unknown;
}

/**
 * Admin UI sign-in, as LiteLLM offers it: `UI_USERNAME` / `UI_PASSWORD` (the password defaults to
 * the master key) sign in as the proxy admin; the master key or a virtual key signs in as that key.
 * `POST /v2/login` is LiteLLM's JSON login; the session and sign-out routes live under `/ui/api`.
 */
@Controller()
export class UiLoginController {
  private readonly throttle = new LoginThrottle();

  constructor(
    @Inject(UiSessionService) private readonly sessions: UiSessionService,
    @Inject(VirtualKeyVerifier) private readonly verifier: VirtualKeyVerifier,
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
    @Inject(MASTER_KEY) private readonly masterKey: string,
  ) {}

  @Post('v2/login')
  @HttpCode(200)
  async login(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Body() body: LoginBody | undefined) {
    const address = request.ip;
    const wait = this.throttle.retryAfterSeconds(address);
    if (wait > 0) throw new SwitchboardError('rate_limited', 'Too many failed sign-ins from this address; try again later.', { retryAfterSeconds: wait });
    let fields: NewUiSession;
    try {
      fields = await this.authenticate(body ?? {});
    } catch (error) {
      if (error instanceof SwitchboardError && error.code === 'authentication') this.throttle.recordFailure(address);
      throw error;
    }
    this.throttle.reset(address);
    const { id, session } = await this.sessions.create(fields);
    void reply.header('set-cookie', sessionCookie(id, this.sessions.durationMs / 1000, isSecureRequest(request)));
    void reply.header('cache-control', 'no-store');
    return { ...this.view(session), redirect_url: '/ui/' };
  }

  @Get('ui/api/session')
  async session(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('cache-control', 'no-store');
    const id = readCookie(request.headers, sessionCookieName);
    const session = id ? await this.sessions.read(id) : undefined;
    if (!session) throw new SwitchboardError('authentication', 'Not signed in.', { param: null });
    // The key must still be valid (not blocked, expired or deleted) for the session to be.
    await this.sessions.verifiedKeyOf(session);
    return this.view(session);
  }

  @Post('ui/api/logout')
  @HttpCode(200)
  async logout(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const id = readCookie(request.headers, sessionCookieName);
    const session = id ? await this.sessions.read(id) : undefined;
    if (id && session) {
      if (!matchesCsrfToken(request.headers[csrfHeaderName], session.csrfToken)) {
        throw new SwitchboardError('permission_denied', `Signing out needs the session's CSRF token in the ${csrfHeaderName} header.`, { param: csrfHeaderName });
      }
      await this.sessions.destroy(id);
    }
    void reply.header('set-cookie', clearedSessionCookie(isSecureRequest(request)));
    return { signed_out: true };
  }

  private async authenticate(body: LoginBody): Promise<NewUiSession> {
    if (typeof body.api_key === 'string' && body.api_key.trim()) {
      return this.fromKey(await this.verifier.verify(body.api_key.trim()));
    }
    if (typeof body.username !== 'string' || typeof body.password !== 'string') {
      throw new SwitchboardError('invalid_request', "Send 'username' and 'password', or 'api_key'.", { param: 'username' });
    }
    const password = this.settings.UI_PASSWORD ?? this.masterKey;
    if (!constantTimeEqual(body.username, this.settings.UI_USERNAME) || !constantTimeEqual(body.password, password)) {
      throw new SwitchboardError('authentication', "Invalid credentials used to access UI. Check 'UI_USERNAME', 'UI_PASSWORD' in .env file", { param: 'invalid_credentials' });
    }
    return { kind: 'master', masterKeyId: this.sessions.masterKeyId, loginMethod: 'username_password', userId: 'default_user_id', userRole: 'proxy_admin', keyAlias: 'ui_admin' };
  }

  private fromKey(verified: VerifiedKey): NewUiSession {
    const identity = verified.identity;
    if (!identity) return { kind: 'master', masterKeyId: this.sessions.masterKeyId, loginMethod: 'api_key', userId: 'default_user_id', userRole: 'proxy_admin', keyAlias: 'master_key' };
    return { kind: 'key', keyHash: identity.keyHash, loginMethod: 'api_key', userId: identity.userId, userRole: identity.userRole, keyAlias: identity.keyAlias ?? identity.keyName };
  }

  private view(session: UiSession) {
    return {
      user_id: session.userId ?? null,
      user_role: session.userRole,
      key_alias: session.keyAlias ?? null,
      login_method: session.loginMethod,
      is_proxy_admin: session.userRole === 'proxy_admin',
      csrf_token: session.csrfToken,
      expires_at: new Date(session.expiresAt).toISOString(),
      trace_url: this.settings.UI_TRACE_URL ?? null,
    };
  }
}

function constantTimeEqual(sent: string, expected: string): boolean {
  return timingSafeEqual(createHash('sha256').update(sent).digest(), createHash('sha256').update(expected).digest());
}
