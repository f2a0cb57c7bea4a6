import { describe, expect, it } from 'vitest';
import type { KeyIdentity } from '@switchboard/contracts';
import { IdentityCache } from './identity-cache';
import { authorizeRoute, routeGroupsOf } from './route-access';
import { refusalDeadline } from './virtual-key.verifier';

const identity = (keyHash: string, extra: Partial<KeyIdentity> = {}): KeyIdentity => ({
  keyHash,
  keyName: 'sk-...abcd',
  userRole: 'internal_user',
  keyModels: [],
  teamModels: [],
  userModels: [],
  allowedRoutes: [],
  tags: [],
  metadata: {},
  limits: {},
  ...extra,
});
const verified = (keyHash: string, extra: Partial<KeyIdentity> = {}) => ({ verified: { caller: { keyHash }, isMasterKey: false, identity: identity(keyHash, extra) } });

describe('IdentityCache', () => {
  it('drops entries by key, by the key an old value resolves to, by team, user and organization, and everything on a model change', () => {
    const cache = new IdentityCache();
    cache.set('a', verified('a', { teamId: 't1' }), 60_000);
    cache.set('old-b', verified('b'), 60_000);
    cache.set('c', verified('c', { userId: 'u1' }), 60_000);
    cache.set('d', verified('d', { organizationId: 'o1' }), 60_000);
    cache.set('e', { refusal: 'not found' }, 60_000);
    cache.invalidate({ keyHashes: ['b'] });
    expect(cache.get('old-b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    cache.invalidate({ teamIds: ['t1'] });
    expect(cache.get('a')).toBeUndefined();
    cache.invalidate({ userIds: ['u1'], organizationIds: ['o1'] });
    expect(cache.get('c')).toBeUndefined();
    expect(cache.get('d')).toBeUndefined();
    expect(cache.get('e')).toBeDefined();
    cache.invalidate({ models: true });
    expect(cache.size).toBe(0);
  });

  it('expires entries after their TTL and never stores a zero TTL', () => {
    const cache = new IdentityCache();
    cache.set('a', verified('a'), 10);
    cache.set('z', verified('z'), 0);
    expect(cache.get('a', Date.now() + 11)).toBeUndefined();
    expect(cache.get('z')).toBeUndefined();
  });
});

describe('exact revocation', () => {
  it('refuses a cached key from its revoke-at or expiry instant on, without waiting for the TTL', () => {
    const cache = new IdentityCache();
    const now = Date.now();
    cache.set('old', verified('new'), 60_000, { at: now + 2_000, refusal: 'gone' });
    expect(cache.get('old', now + 1_999)).toMatchObject({ verified: expect.anything() });
    expect(cache.get('old', now + 2_000)).toEqual({ refusal: 'gone' });
    expect(cache.get('old', now + 2_001)).toEqual({ refusal: 'gone' });
    cache.set('late', verified('late'), 60_000, { at: now - 1, refusal: 'expired' });
    expect(cache.get('late')).toEqual({ refusal: 'expired' });
  });

  it('takes the earlier of expiry (refused as expired) and grace end (refused as unknown)', () => {
    expect(refusalDeadline({})).toBeUndefined();
    expect(refusalDeadline({ expiresAt: '2030-01-01T00:00:00.000Z' })).toEqual({ at: Date.parse('2030-01-01T00:00:00.000Z'), refusal: expect.stringContaining('Expired') });
    expect(refusalDeadline({ expiresAt: '2030-01-01T00:00:00.000Z', revokeAt: '2029-01-01T00:00:00.000Z' })).toEqual({ at: Date.parse('2029-01-01T00:00:00.000Z'), refusal: expect.stringContaining('Unable to find token') });
    expect(refusalDeadline({ expiresAt: '2028-01-01T00:00:00.000Z', revokeAt: '2029-01-01T00:00:00.000Z' })?.refusal).toContain('Expired');
  });
});

describe('route access', () => {
  it.each([
    ['GET', '/v1/models', ['llm_api_routes', 'info_routes']],
    ['POST', '/v1/chat/completions', ['llm_api_routes']],
    ['POST', '/key/generate', ['management_routes']],
    ['GET', '/key/info', ['management_routes', 'info_routes']],
    ['POST', '/completions', ['llm_api_routes']],
    ['POST', '/openai/deployments/gpt-4o/chat/completions', ['llm_api_routes']],
    ['POST', '/engines/gpt-4o/embeddings', ['llm_api_routes']],
    ['POST', '/utils/token_counter', ['llm_api_routes']],
    ['GET', '/model_group/info', ['info_routes']],
  ])('%s %s is in %j', (method, path, groups) => {
    expect([...routeGroupsOf(method, path)].sort()).toEqual([...groups].sort());
  });

  it('applies key_type and allowed_routes (groups, exact paths, wildcards)', () => {
    expect(() => authorizeRoute(identity('k', { keyType: 'llm_api' }), 'POST', '/key/generate')).toThrow(/not allowed/);
    expect(() => authorizeRoute(identity('k', { keyType: 'llm_api' }), 'POST', '/v1/chat/completions')).not.toThrow();
    expect(() => authorizeRoute(identity('k', { keyType: 'read_only' }), 'POST', '/key/generate')).toThrow();
    expect(() => authorizeRoute(identity('k', { keyType: 'read_only' }), 'GET', '/key/info?key=x')).not.toThrow();
    expect(() => authorizeRoute(identity('k', { allowedRoutes: ['/v1/chat/*'] }), 'POST', '/v1/chat/completions')).not.toThrow();
    expect(() => authorizeRoute(identity('k', { allowedRoutes: ['/v1/chat/*'] }), 'POST', '/v1/embeddings')).toThrow();
    expect(() => authorizeRoute(identity('k'), 'POST', '/key/generate')).not.toThrow();
    expect(() => authorizeRoute(undefined, 'POST', '/key/generate')).not.toThrow();
  });
});
