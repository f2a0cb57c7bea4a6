import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSystem } from '@switchboard/testing';
import { manage, startUiSystem } from './ui-system';
import type { UiSystem } from './ui-system';

interface SignedIn {
  cookie: string;
  setCookie: string;
  csrf: string;
}

describe('admin UI: static files, sign-in, the session cookie and CSRF', () => {
  let ui: UiSystem;
  let system: RunningSystem;

  const login = async (body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<SignedIn> => {
    const response = await fetch(`${system.baseUrl}/v2/login`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    expect(response.status, await response.clone().text()).toBe(200);
    const setCookie = response.headers.get('set-cookie') ?? '';
    const answer = (await response.json()) as { csrf_token: string };
    return { cookie: setCookie.split(';')[0], setCookie, csrf: answer.csrf_token };
  };
  const call = (path: string, session: SignedIn, init: { method?: string; body?: unknown; csrf?: string; headers?: Record<string, string> } = {}) =>
    fetch(`${system.baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: { cookie: session.cookie, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(init.csrf ? { 'x-csrf-token': init.csrf } : {}), ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });

  beforeAll(async () => {
    ui = await startUiSystem();
    system = ui.system;
  });

  afterAll(async () => {
    await ui?.stop();
  });

  it('serves the built UI: /ui redirects, index.html is revalidated with a strict CSP, hashed assets are immutable, app routes fall back to index.html', async () => {
    const redirect = await fetch(`${system.baseUrl}/ui`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/ui/');
    const index = await fetch(`${system.baseUrl}/ui/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toContain('text/html');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(index.headers.get('x-frame-options')).toBe('DENY');
    const html = await index.text();
    const script = /src="(\/ui\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${system.baseUrl}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toContain('javascript');
    const etag = asset.headers.get('etag') ?? '';
    expect((await fetch(`${system.baseUrl}${script}`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    const route = await fetch(`${system.baseUrl}/ui/keys`);
    expect(await route.text()).toBe(html);
    expect((await fetch(`${system.baseUrl}/ui/assets/missing-file.js`)).status).toBe(404);
    // Build bookkeeping is never served (the path falls back to the app's index.html).
    expect(await (await fetch(`${system.baseUrl}/ui/.build-fingerprint`)).text()).toBe(html);
  });

  it('signs in with UI_USERNAME / UI_PASSWORD (LiteLLM message on a wrong password) and sets an HttpOnly, SameSite=Strict cookie, Secure behind https', async () => {
    const wrong = await fetch(`${system.baseUrl}/v2/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'ui-admin', password: 'nope' }) });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toContain('Invalid credentials used to access UI');
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const session = await login({ username: 'ui-admin', password: 'ui-password-123' });
    expect(session.setCookie).toMatch(/^sb_ui_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=86400; HttpOnly; SameSite=Strict$/);
    const info = (await (await call('/ui/api/session', session)).json()) as Record<string, unknown>;
    expect(info).toMatchObject({ user_role: 'proxy_admin', is_proxy_admin: true, login_method: 'username_password', csrf_token: session.csrf });
    const secure = await login({ api_key: system.masterKey }, { 'x-forwarded-proto': 'https' });
    expect(secure.setCookie).toContain('; Secure');
    // The master key is never the cookie, and the session id is not the CSRF token.
    expect(session.cookie).not.toContain(system.masterKey);
    expect(session.cookie.split('=')[1]).not.toBe(session.csrf);
  });

  it('lets the session read the management routes, but writes need the CSRF token', async () => {
    const session = await login({ api_key: system.masterKey });
    const list = await call('/key/list', session);
    expect(list.status).toBe(200);
    const refused = await call('/key/generate', session, { method: 'POST', body: { key_alias: 'csrf-probe' } });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { param: string } }).error.param).toBe('x-csrf-token');
    const forged = await call('/key/generate', session, { method: 'POST', body: { key_alias: 'csrf-probe' }, csrf: 'not-the-token' });
    expect(forged.status).toBe(403);
    const created = await call('/key/generate', session, { method: 'POST', body: { key_alias: 'csrf-probe' }, csrf: session.csrf });
    expect(created.status).toBe(200);
    const chat = await call('/v1/chat/completions', session, { method: 'POST', body: { model: 'mock-gpt', messages: [{ role: 'user', content: 'hi' }] }, csrf: session.csrf });
    expect(chat.status).toBe(200);
  });

  it('never lets a cookie change what a presented key is: a wrong Bearer key with a valid session is refused', async () => {
    const session = await login({ api_key: system.masterKey });
    const response = await call('/key/list', session, { headers: { authorization: 'Bearer sk-wrong' } });
    expect(response.status).toBe(401);
    expect((await fetch(`${system.baseUrl}/key/list`)).status).toBe(401);
  });

  it('resolves a virtual-key session to that key: its own objects only, and blocking the key ends the session', async () => {
    const user = await manage(system, '/user/new', { user_id: 'session-user', auto_create_key: false });
    expect(user.user_id).toBe('session-user');
    const own = (await manage(system, '/key/generate', { user_id: 'session-user', key_alias: 'own-key' })) as { key: string; token: string };
    await manage(system, '/key/generate', { key_alias: 'someone-elses' });
    const session = await login({ api_key: own.key });
    const info = (await (await call('/ui/api/session', session)).json()) as Record<string, unknown>;
    expect(info).toMatchObject({ user_id: 'session-user', user_role: 'internal_user', is_proxy_admin: false, key_alias: 'own-key' });
    const list = (await (await call('/key/list?return_full_object=true', session)).json()) as { keys: Array<{ key_alias: string }> };
    expect(list.keys.map((key) => key.key_alias)).toEqual(['own-key']);
    expect((await call('/global/spend/report?start_date=2020-01-01&end_date=2030-01-01', session)).status).toBe(403);
    await manage(system, '/key/block', { key: own.token });
    expect((await call('/key/list', session)).status).toBe(401);
    expect((await call('/ui/api/session', session)).status).toBe(401);
  });

  it('signs out: the cookie is cleared and the old session id no longer works anywhere', async () => {
    const session = await login({ api_key: system.masterKey });
    const withoutToken = await call('/ui/api/logout', session, { method: 'POST', body: {} });
    expect(withoutToken.status).toBe(403);
    const out = await call('/ui/api/logout', session, { method: 'POST', body: {}, csrf: session.csrf });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/^sb_ui_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Strict$/);
    expect((await call('/key/list', session)).status).toBe(401);
  });

  it('expires a session after LITELLM_UI_SESSION_DURATION', async () => {
    const gateway = await system.startGateway({ LITELLM_UI_SESSION_DURATION: '2s' });
    const response = await fetch(`${gateway.baseUrl}/v2/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ api_key: system.masterKey }) });
    const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0];
    expect(response.headers.get('set-cookie')).toContain('Max-Age=2;');
    expect((await fetch(`${gateway.baseUrl}/key/list`, { headers: { cookie } })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2_300));
    expect((await fetch(`${gateway.baseUrl}/key/list`, { headers: { cookie } })).status).toBe(401);
    await gateway.process.stop();
  });

  it('slows down guessing: after ten failed sign-ins an address gets 429 with retry-after', async () => {
    for (let attempt = 0; attempt < 10; attempt++) {
      const response = await fetch(`${system.baseUrl}/v2/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ api_key: `sk-guess-${attempt}` }) });
      expect(response.status).toBe(401);
    }
    const limited = await fetch(`${system.baseUrl}/v2/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ api_key: system.masterKey }) });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
