import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Redis } from 'ioredis';
import type { UserRole } from '@switchboard/contracts';
import { parseDuration } from '@switchboard/identity';
import { SwitchboardError } from '@switchboard/spec';
import type { VerifiedKey } from '../auth/key-verifier';
import { VirtualKeyVerifier } from '../auth/virtual-key.verifier';
import { GATEWAY_SETTINGS, REDIS } from '../bootstrap/tokens';
import type { GatewaySettings } from '../gateway-settings.schema';
import { readCookie, sessionCookieName } from './session-cookie';

/** What a session remembers: who signed in, never a key (a virtual key is kept as its hash). */
export interface UiSession {
  v: 1;
  kind: 'master' | 'key';
  /** The virtual key's hash (`kind: 'key'`). */
  keyHash?: string;
  /** Which master key a proxy-admin session belongs to: rotating the master key ends such sessions. */
  masterKeyId?: string;
  loginMethod: 'username_password' | 'api_key';
  userId?: string;
  userRole: UserRole;
  keyAlias?: string;
  /** Sent back as `x-csrf-token` on every write the session makes. */
  csrfToken: string;
  expiresAt: number;
}

export type NewUiSession = Omit<UiSession, 'v' | 'csrfToken' | 'expiresAt'>;

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);
export const csrfHeaderName = 'x-csrf-token';

/**
 * Admin UI sessions in Redis, shared by every gateway instance: a random 256-bit id in an HttpOnly
 * cookie, stored under its SHA-256 (a Redis dump holds no usable id), expiring after
 * `LITELLM_UI_SESSION_DURATION`. A session resolves to the key it signed in with on every request,
 * through the same verifier as a Bearer key, so a blocked or deleted key ends its sessions at once.
 */
@Injectable()
export class UiSessionService {
  readonly durationMs: number;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
    @Inject(VirtualKeyVerifier) private readonly verifier: VirtualKeyVerifier,
  ) {
    this.durationMs = parseDuration(settings.LITELLM_UI_SESSION_DURATION);
  }

  async create(fields: NewUiSession): Promise<{ id: string; session: UiSession }> {
    const id = randomBytes(32).toString('base64url');
    const session: UiSession = { v: 1, ...fields, csrfToken: randomBytes(32).toString('base64url'), expiresAt: Date.now() + this.durationMs };
    await this.guarded(() => this.redis.set(this.redisKey(id), JSON.stringify(session), 'PX', this.durationMs));
    return { id, session };
  }

  /** The live session a cookie names, or undefined (unknown, signed out or expired). */
  async read(id: string): Promise<UiSession | undefined> {
    const stored = await this.guarded(() => this.redis.get(this.redisKey(id)));
    if (!stored) return undefined;
    const session = JSON.parse(stored) as UiSession;
    return session.v === 1 && session.expiresAt > Date.now() ? session : undefined;
  }

  async destroy(id: string): Promise<void> {
    await this.guarded(() => this.redis.del(this.redisKey(id)));
  }

  /**
   * The key behind the request's session cookie, or undefined when there is no cookie. A write
   * (any method but GET / HEAD / OPTIONS) must carry the session's CSRF token in `x-csrf-token`.
   */
  async authenticate(request: { method: string; headers: IncomingHttpHeaders }): Promise<VerifiedKey | undefined> {
    const id = readCookie(request.headers, sessionCookieName);
    if (!id) return undefined;
    const session = await this.read(id);
    if (!session) throw new SwitchboardError('authentication', 'Your admin UI session has expired or was signed out: sign in again.', { param: null });
    if (!safeMethods.has(request.method.toUpperCase()) && !matchesCsrfToken(request.headers[csrfHeaderName], session.csrfToken)) {
      throw new SwitchboardError('permission_denied', `This request needs the session's CSRF token in the ${csrfHeaderName} header.`, { param: csrfHeaderName });
    }
    return this.verifiedKeyOf(session);
  }

  /** What the session may do: exactly what its key may do. */
  async verifiedKeyOf(session: UiSession): Promise<VerifiedKey> {
    if (session.kind === 'master') {
      if (session.masterKeyId !== this.masterKeyId) throw new SwitchboardError('authentication', 'The master key changed: sign in again.', { param: null });
      return this.verifier.masterKey;
    }
    return this.verifier.verifyHash(session.keyHash ?? '');
  }

  get masterKeyId(): string {
    return this.verifier.masterKey.caller.keyHash ?? '';
  }

  private redisKey(id: string): string {
    return `${this.settings.REDIS_KEY_PREFIX}ui:session:${createHash('sha256').update(id).digest('hex')}`;
  }

  private async guarded<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch {
      throw new SwitchboardError('upstream_unavailable', 'Admin UI sessions are unavailable (Redis cannot be reached); API keys keep working.', { retryAfterSeconds: 1 });
    }
  }
}

/** Constant-time comparison of a sent `x-csrf-token` with the session's. */
export function matchesCsrfToken(sent: string | string[] | undefined, expected: string): boolean {
  if (typeof sent !== 'string' || sent.length === 0) return false;
  const a = createHash('sha256').update(sent).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
