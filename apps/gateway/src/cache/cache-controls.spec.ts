import { describe, expect, it } from 'vitest';
import type { KeyIdentity } from '@switchboard/contracts';
import type { SwitchboardError } from '@switchboard/spec';
import type { VerifiedKey } from '../auth/key-verifier';
import { parseCacheControls } from './cache-controls';
import { cacheKeyOf, canonicalJson, scopeOf } from './cache-key';

function keyWith(limits: KeyIdentity['limits'], metadata: Record<string, unknown> = {}, teamLimits?: KeyIdentity['limits']): VerifiedKey {
  const identity = { keyHash: 'h', keyName: 'sk-...', userRole: 'internal_user', keyModels: [], teamModels: [], userModels: [], allowedRoutes: [], tags: [], metadata, limits, teamLimits } as KeyIdentity;
  return { caller: { keyHash: 'h' }, isMasterKey: false, identity };
}

function refusal(run: () => unknown): SwitchboardError {
  try {
    run();
  } catch (error) {
    return error as SwitchboardError;
  }
  throw new Error('no refusal');
}

describe('cache controls', () => {
  it.each([
    [{ cache: { 'no-cache': true } }, {}, { noCache: true, noStore: false }],
    [{ cache: { 'no-store': true, ttl: 30 } }, {}, { noStore: true, ttlSeconds: 30 }],
    [{ cache: { 's-maxage': 10, namespace: 'a' } }, {}, { maxAgeSeconds: 10, namespace: 'a' }],
    [{ cache: { 'use-cache': true } }, {}, { useCache: true }],
    [{ caching: false }, {}, { noCache: true, noStore: true }],
    [{}, { 'cache-control': 'no-cache, s-maxage=60' }, { noCache: true, ttlSeconds: 60 }],
    [{}, { 'cache-control': 'max-age=5, no-store' }, { maxAgeSeconds: 5, noStore: true }],
  ])('%j with headers %j', (fields, headers, expected) => {
    expect(parseCacheControls(fields, headers, undefined)).toMatchObject(expected);
  });

  it.each([
    [{ cache: { ttl: 'soon' } }, 'cache.ttl'],
    [{ cache: { 'no-cache': 'yes' } }, 'cache.no-cache'],
    [{ cache: { unknown: 1 } }, 'cache.unknown'],
    [{ cache: ['no-cache'] }, 'cache'],
    [{ caching: 'no' }, 'caching'],
  ])('refuses %j naming %s', (fields, param) => {
    const error = refusal(() => parseCacheControls(fields, {}, undefined));
    expect(error.code).toBe('invalid_request');
    expect(error.param).toBe(param);
  });

  it('allowed_cache_controls of the key and of its team limit what a request may set', () => {
    expect(parseCacheControls({ cache: { 'no-cache': true } }, {}, keyWith({ allowed_cache_controls: ['no-cache'] })).noCache).toBe(true);
    const error = refusal(() => parseCacheControls({ cache: { ttl: 5 } }, {}, keyWith({ allowed_cache_controls: ['no-cache'] })));
    expect(error.status).toBe(403);
    expect(error.message).toBe('Not allowed to set ttl as a cache control. Contact admin to change permissions.');
    expect(refusal(() => parseCacheControls({ cache: { 'no-store': true } }, {}, keyWith({}, {}, { allowed_cache_controls: ['ttl'] }))).status).toBe(403);
    expect(parseCacheControls({ cache: { ttl: 5 } }, {}, keyWith({ allowed_cache_controls: [] })).ttlSeconds).toBe(5);
  });

  it("a key's metadata.cache overrides the request's controls", () => {
    expect(parseCacheControls({ cache: { 'no-cache': false } }, {}, keyWith({}, { cache: { 'no-cache': true, other: 1 } })).noCache).toBe(true);
  });
});

describe('cache keys', () => {
  const command = { kind: 'chat' as const, request: { model: 'g', messages: [{ role: 'user' as const, content: 'hi' }], temperature: 0.2, stream: true, stream_options: { include_usage: true }, metadata: { a: '1' } } };

  it('depend on the parameters that change the answer, not on delivery, field order or labels', () => {
    const base = cacheKeyOf({ modelGroup: 'g', command, tenant: '' });
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    const reordered = { kind: 'chat' as const, request: { temperature: 0.2, messages: [{ content: 'hi', role: 'user' as const }], model: 'other-name' } };
    expect(cacheKeyOf({ modelGroup: 'g', command: reordered, tenant: '' })).toBe(base);
    expect(cacheKeyOf({ modelGroup: 'g', command: { ...command, request: { ...command.request, temperature: 0.3 } }, tenant: '' })).not.toBe(base);
    expect(cacheKeyOf({ modelGroup: 'h', command, tenant: '' })).not.toBe(base);
    expect(cacheKeyOf({ modelGroup: 'g', command, tenant: 'key:1' })).not.toBe(base);
    expect(cacheKeyOf({ modelGroup: 'g', command, tenant: '', namespace: 'ns' })).toBe(`ns:${base}`);
  });

  it('scope a tenant by team, key or end user, never by the secret', () => {
    const caller = { keyHash: 'hash', keyId: 'stable', teamId: 't1', customerId: 'u1' };
    expect(scopeOf('global', caller)).toBe('');
    expect(scopeOf('team', caller)).toBe('team:t1');
    expect(scopeOf('team', { keyHash: 'hash' })).toBe('key:hash');
    expect(scopeOf('key', caller)).toBe('key:stable');
    expect(scopeOf('end_user', caller)).toBe('key:stable|user:u1');
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined }] })).toBe('{"a":[{"d":2}],"b":1}');
  });
});
