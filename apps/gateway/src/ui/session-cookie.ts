import type { IncomingHttpHeaders } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** The admin UI's session cookie: an opaque random id; the session itself lives in Redis. */
export const sessionCookieName = 'sb_ui_session';

/** The value of one cookie from the `cookie` header, if present. */
export function readCookie(headers: IncomingHttpHeaders, name: string): string | undefined {
  const header = headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator < 0) continue;
    if (part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim() || undefined;
  }
  return undefined;
}

/** Served over TLS, or behind a proxy that says the client used https. */
export function isSecureRequest(request: { headers: IncomingHttpHeaders; raw?: { socket?: unknown }; socket?: unknown }): boolean {
  const socket = (request.raw?.socket ?? request.socket) as Partial<TLSSocket> | undefined;
  if (socket?.encrypted) return true;
  const forwarded = request.headers['x-forwarded-proto'];
  const proto = Array.isArray(forwarded) ? forwarded[0] : forwarded;
  return typeof proto === 'string' && proto.split(',')[0].trim().toLowerCase() === 'https';
}

/**
 * `Set-Cookie` for the session: HttpOnly (no script reads it), SameSite=Strict (no other site's
 * page sends it), Secure over TLS, Path=/ (the management, spend and model routes are at the root).
 */
export function sessionCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return [`${sessionCookieName}=${value}`, 'Path=/', `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`, 'HttpOnly', 'SameSite=Strict', ...(secure ? ['Secure'] : [])].join('; ');
}

export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie('', 0, secure);
}
