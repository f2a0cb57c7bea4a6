import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle';
import { clearedSessionCookie, isSecureRequest, readCookie, sessionCookie } from './session-cookie';

describe('admin UI session cookie', () => {
  it.each([
    ['sb_ui_session=abc', 'abc'],
    ['other=1; sb_ui_session=abc; more=2', 'abc'],
    ['xsb_ui_session=evil', undefined],
    ['sb_ui_session=', undefined],
    ['', undefined],
  ])('reads %j', (header, expected) => {
    expect(readCookie({ cookie: header }, 'sb_ui_session')).toBe(expected);
  });

  it('is HttpOnly and SameSite=Strict, Secure only over TLS', () => {
    expect(sessionCookie('id', 3600, false)).toBe('sb_ui_session=id; Path=/; Max-Age=3600; HttpOnly; SameSite=Strict');
    expect(sessionCookie('id', 3600, true)).toBe('sb_ui_session=id; Path=/; Max-Age=3600; HttpOnly; SameSite=Strict; Secure');
    expect(clearedSessionCookie(false)).toBe('sb_ui_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict');
  });

  it.each([
    [{ headers: {}, raw: { socket: { encrypted: true } } }, true],
    [{ headers: { 'x-forwarded-proto': 'https' } }, true],
    [{ headers: { 'x-forwarded-proto': 'https, http' } }, true],
    [{ headers: { 'x-forwarded-proto': 'http' } }, false],
    [{ headers: {}, raw: { socket: {} } }, false],
  ])('knows a TLS request %#', (request, secure) => {
    expect(isSecureRequest(request)).toBe(secure);
  });
});

describe('sign-in throttle', () => {
  it('refuses an address after ten failures in the window, and forgets them after it', () => {
    const throttle = new LoginThrottle(10, 60_000);
    for (let attempt = 0; attempt < 9; attempt++) throttle.recordFailure('a', 1_000 + attempt);
    expect(throttle.retryAfterSeconds('a', 2_000)).toBe(0);
    throttle.recordFailure('a', 2_000);
    expect(throttle.retryAfterSeconds('a', 2_000)).toBe(59);
    expect(throttle.retryAfterSeconds('b', 2_000)).toBe(0);
    expect(throttle.retryAfterSeconds('a', 62_000)).toBe(0);
    throttle.reset('a');
    expect(throttle.retryAfterSeconds('a', 2_000)).toBe(0);
  });
});
