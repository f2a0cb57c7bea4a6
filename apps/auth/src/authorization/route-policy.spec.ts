import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hashApiKey } from '@switchboard/identity';
import type { SwitchboardError } from '@switchboard/spec';
import { managementOperations } from '../management-router';
import type { ManagementServices } from '../management-router';
import type { Principal } from './principal';
import { admitRoute, routeRules } from './route-policy';

const none = new Set<string>();
const principal = (overrides: Partial<Principal>): Principal => ({
  auditName: 'test',
  role: 'internal_user',
  isMaster: false,
  hasUser: true,
  userId: 'u1',
  keyHash: hashApiKey('sk-own-key'),
  adminTeamIds: none,
  memberTeamIds: none,
  adminOrganizationIds: none,
  memberOrganizationIds: none,
  ...overrides,
});
const statusOf = (who: Principal, operation: string, query: Record<string, string> = {}): number => {
  try {
    admitRoute(who, operation, query);
    return 200;
  } catch (error) {
    return (error as SwitchboardError).status;
  }
};

describe('the route gate', () => {
  const operations = [...managementOperations({} as ManagementServices).keys()];

  it('has a rule for every management route, and docs/security.md names every one', () => {
    expect(Object.keys(routeRules).sort()).toEqual([...operations].sort());
    const documentation = readFileSync(fileURLToPath(new URL('../../../../docs/security.md', import.meta.url)), 'utf8');
    for (const operation of operations) expect(documentation, operation).toContain(`\`/${operation}\``);
  });

  it('gives a key with no user 401 everywhere but its own /key/info', () => {
    const noUser = principal({ hasUser: false, userId: undefined });
    for (const operation of operations) {
      if (operation === 'key/info') continue;
      expect(statusOf(noUser, operation), operation).toBe(401);
    }
    expect(statusOf(noUser, 'key/info')).toBe(200);
    expect(statusOf(noUser, 'key/info', { key: 'sk-own-key' })).toBe(200);
    expect(statusOf(noUser, 'key/info', { key_hash: hashApiKey('sk-own-key') })).toBe(200);
    expect(statusOf(noUser, 'key/info', { key: 'sk-someone-else' })).toBe(401);
  });

  it('refuses every change to viewers and proxy-admin routes to everyone else', () => {
    for (const operation of operations) {
      const rule = routeRules[operation];
      const viewer = statusOf(principal({ role: 'internal_user_viewer' }), operation);
      const adminViewer = statusOf(principal({ role: 'proxy_admin_viewer' }), operation);
      const user = statusOf(principal({}), operation);
      expect(viewer, operation).toBe(rule.changes || rule.audience !== 'members' ? 403 : 200);
      expect(adminViewer, operation).toBe(rule.changes ? 403 : 200);
      expect(user, operation).toBe(rule.audience === 'members' ? 200 : 403);
      expect(statusOf(principal({ role: 'proxy_admin' }), operation), operation).toBe(200);
      expect(statusOf(principal({ isMaster: true }), operation), operation).toBe(200);
    }
  });
});
