import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '@switchboard/identity';
import { createIsolation, runMigrations } from '@switchboard/testing';
import type { Isolation } from '@switchboard/testing';
import { ManagementHarness, asKey } from './management-harness';
import type { Json } from './management-harness';
import { buildWorld } from './management-world';
import type { World } from './management-world';

/** One attacker: the key it calls with, the user behind it, and a key of its own an admin blocked. */
interface Actor {
  name: string;
  key: string;
  userId: string;
  blockedKey: string;
}

type Attempt = [operation: string, body: Json, query?: Record<string, string>];
/** An escalation path: what the actor sends, or undefined where the power is legitimately the actor's. */
type Path = [name: string, attempt: (actor: Actor, world: World) => Attempt | undefined];

const higher = {
  max_budget: 1000,
  soft_budget: 1000,
  tpm_limit: 1_000_000,
  rpm_limit: 1_000_000,
  max_parallel_requests: 1000,
  model_max_budget: { gpt: { budget_limit: 100, time_period: '1d' } },
  model_rpm_limit: { gpt: 1000 },
  model_tpm_limit: { gpt: 1_000_000 },
  budget_duration: '1s',
} as const;
const logging = [{ callback_name: 'webhook', callback_vars: { generic_logger_endpoint: 'http://10.0.0.1/steal' } }];
/** The actors for whom a path is a power they legitimately hold (the matrix shows n/a). */
const legitimateFor = (actor: Actor, ...names: string[]) => names.includes(actor.name);

const paths: Path[] = [
  ['key/generate for a proxy admin, in own team', (_, w) => ['key/generate', { user_id: w.root.userId, team_id: w.teamT }]],
  ['key/generate for a proxy admin, as organization key', (_, w) => ['key/generate', { user_id: w.root.userId, organization_id: w.organizationA }]],
  ['key/generate for a proxy admin viewer, in own team', (_, w) => ['key/generate', { user_id: w.auditor.userId, team_id: w.teamT }]],
  ["key/generate for another organization's user", (_, w) => ['key/generate', { user_id: w.bMember.userId, team_id: w.teamT }]],
  ['key/generate for a user outside the team', (_, w) => ['key/generate', { user_id: w.loner.userId, team_id: w.teamT }]],
  ['key/generate personal key for another user', (_, w) => ['key/generate', { user_id: w.loner.userId }]],
  ['key/generate for a teammate', (a, w) => (legitimateFor(a, 'team admin', 'org admin') ? undefined : ['key/generate', { user_id: a.userId === w.member.userId ? w.viewer.userId : w.member.userId, team_id: w.teamT }])],
  ['mint a key reaching a model the creator cannot', () => ['key/generate', { models: ['mini'] }]],
  ['mint a key for every model', () => ['key/generate', { models: ['*'] }]],
  ['mint a key without a model list', () => ['key/generate', { models: [] }]],
  ...Object.entries(higher).map(([name, value]): Path => [`mint a key with ${name} above the creator's`, () => ['key/generate', { [name]: value }]]),
  ['mint a key without the max_budget the creator has', () => ['key/generate', { max_budget: null }]],
  ['mint a key with tpm_limit 0 (no limit)', () => ['key/generate', { tpm_limit: 0 }]],
  ['mint a key that outlives the creator', () => ['key/generate', { duration: '365d' }]],
  ['mint a key that never expires', () => ['key/generate', { duration: null }]],
  ['mint a key with a wider key_type', () => ['key/generate', { key_type: 'default' }]],
  ['mint a key with allowed_routes', () => ['key/generate', { allowed_routes: ['/key/*'] }]],
  ['mint a key with metadata.logging', () => ['key/generate', { metadata: { logging } }]],
  ...Object.entries(higher).map(([name, value]): Path => [`raise own key's ${name}`, (a) => ['key/update', { key: a.key, [name]: value }]]),
  ["remove own key's max_budget", (a) => ['key/update', { key: a.key, max_budget: null }]],
  ["remove own key's model_rpm_limit", (a) => ['key/update', { key: a.key, model_rpm_limit: null }]],
  ["set own key's rpm_limit to 0 (no limit)", (a) => ['key/update', { key: a.key, rpm_limit: 0 }]],
  ["widen own key's models", (a) => ['key/update', { key: a.key, models: ['gpt', 'mini'] }]],
  ["open own key to every model", (a) => ['key/update', { key: a.key, models: [] }]],
  ["extend own key's expiry", (a) => ['key/update', { key: a.key, duration: '365d' }]],
  ['make own key never expire', (a) => ['key/update', { key: a.key, duration: null }]],
  ["widen own key's key_type", (a) => ['key/update', { key: a.key, key_type: 'default' }]],
  ["set own key's allowed_routes", (a) => ['key/update', { key: a.key, allowed_routes: ['/model/*'] }]],
  ["set own key's metadata.logging", (a) => ['key/update', { key: a.key, metadata: { logging } }]],
  ['move own key to a proxy admin', (a, w) => ['key/update', { key: a.key, user_id: w.root.userId }]],
  ['move own key into another team', (a, w) => ['key/update', { key: a.key, team_id: w.teamT2 }]],
  ['unblock own key an admin blocked', (a) => ['key/unblock', { key: a.blockedKey }]],
  ['unblock own key through key/update', (a) => ['key/update', { key: a.blockedKey, blocked: false }]],
  ["change a proxy admin's key", (_, w) => ['key/update', { key: w.root.key, max_budget: 0 }]],
  ["regenerate (and so receive) a proxy admin's key in own team", (_, w) => ['key/regenerate', { key: w.root.teamKey }]],
  ["change a proxy admin's key in own team", (_, w) => ['key/update', { key: w.root.teamKey, max_budget: 20 }]],
  ["block a proxy admin's key in own team", (_, w) => ['key/block', { key: w.root.teamKey }]],
  ["delete a proxy admin's key in own team", (_, w) => ['key/delete', { keys: [w.root.teamKey] }]],
  ["read another organization's key", (_, w) => ['key/info', {}, { key: w.bMember.key }]],
  ["read another organization's user and keys", (_, w) => ['user/info', {}, { user_id: w.bMember.userId }]],
  ['join own team as its admin', (a, w) => (legitimateFor(a, 'team admin', 'org admin') ? undefined : ['team/member_add', { team_id: w.teamT, member: { user_id: a.userId || w.member.userId, role: 'admin' } }])],
  ['promote a teammate to team admin', (a, w) => (legitimateFor(a, 'team admin', 'org admin') ? undefined : ['team/member_add', { team_id: w.teamT, member: { user_id: w.viewer.userId, role: 'admin' } }])],
  ["join another organization's team", (a, w) => ['team/member_add', { team_id: w.teamTB, member: { user_id: a.userId || w.member.userId, role: 'admin' } }]],
  ["add another organization's user to own team", (_, w) => ['team/member_add', { team_id: w.teamT, member: { user_id: w.bMember.userId } }]],
  ["raise the team's budget", (_, w) => ['team/update', { team_id: w.teamT, max_budget: 1_000_000 }]],
  ["widen the team's models", (_, w) => ['team/update', { team_id: w.teamT, models: ['*'] }]],
  ['create a team outside an organization', () => ['team/new', { team_alias: 'rogue' }]],
  ['become organization admin', (a, w) => (legitimateFor(a, 'org admin') ? undefined : ['organization/member_add', { organization_id: w.organizationA, member: { user_id: a.userId || w.member.userId, role: 'org_admin' } }])],
  ['take a user from another organization', (_, w) => ['organization/member_add', { organization_id: w.organizationA, member: { user_id: w.bMember.userId } }]],
  ['make a proxy admin an organization admin', (_, w) => ['organization/member_add', { organization_id: w.organizationA, member: { user_id: w.root.userId, role: 'org_admin' } }]],
  ["raise the organization's budget", (_, w) => ['organization/update', { organization_id: w.organizationA, max_budget: 1e9 }]],
  ["widen the organization's models", (_, w) => ['organization/update', { organization_id: w.organizationA, models: ['*'] }]],
  ['create an organization', () => ['organization/new', { organization_alias: 'rogue' }]],
  ['make self proxy admin', (a, w) => ['user/update', { user_id: a.userId || w.member.userId, user_role: 'proxy_admin' }]],
  ['create a proxy admin', (_, w) => ['user/new', { user_email: 'boss@example.com', organization_id: w.organizationA, user_role: 'proxy_admin' }]],
  ['create a proxy admin viewer', (_, w) => ['user/new', { user_email: 'peek@example.com', organization_id: w.organizationA, user_role: 'proxy_admin_viewer' }]],
  ["raise own user's budget", (a, w) => ['user/update', { user_id: a.userId || w.member.userId, max_budget: 1_000_000 }]],
  ["widen own user's models", (a, w) => ['user/update', { user_id: a.userId || w.member.userId, models: ['*'] }]],
  ['change a proxy admin of own organization', (_, w) => ['user/update', { user_id: w.root.userId, user_alias: 'pwned' }]],
  ['delete a proxy admin of own organization', (_, w) => ['user/delete', { user_ids: [w.root.userId] }]],
  ["change a user of own organization who is in another organization's team", (_, w) => ['user/update', { user_id: w.straddler.userId, max_budget: 1 }]],
  ["delete a user of own organization who is in another organization's team", (_, w) => ['user/delete', { user_ids: [w.straddler.userId] }]],
  ["mint an organization key for a user in another organization's team", (_, w) => ['key/generate', { user_id: w.straddler.userId, organization_id: w.organizationA }]],
  ['move a user to another organization', (_, w) => ['user/update', { user_id: w.member.userId, organization_id: w.organizationB }]],
  ['create a model', () => ['model/new', { model_name: 'evil', litellm_params: { model: 'openai/gpt-4o', api_base: 'http://10.0.0.1' } }]],
  ['change a stored model', (_, w) => ['model/update', { model_info: { id: w.storedModelId }, litellm_params: { api_base: 'http://10.0.0.1' } }]],
  ['delete a stored model', (_, w) => ['model/delete', { id: w.storedModelId }]],
  ['create a customer', () => ['customer/new', { user_id: 'rogue-customer' }]],
];

describe('privilege escalation matrix: every actor x every escalation path is refused and changes nothing', () => {
  let isolation: Isolation;
  let harness: ManagementHarness;
  let world: World;
  let actors: Actor[];

  beforeAll(async () => {
    isolation = await createIsolation();
    if (!isolation.migrated) await runMigrations(isolation.environment);
    harness = await ManagementHarness.start(isolation);
    world = await buildWorld(harness);
    actors = [
      { name: 'internal user', key: world.member.key, userId: world.member.userId, blockedKey: world.member.blockedKey },
      { name: 'member via team key', key: world.member.teamKey, userId: world.member.userId, blockedKey: world.member.blockedKey },
      { name: 'internal viewer', key: world.viewer.key, userId: world.viewer.userId, blockedKey: world.viewer.blockedKey },
      { name: 'team admin', key: world.teamAdmin.key, userId: world.teamAdmin.userId, blockedKey: world.teamAdmin.blockedKey },
      { name: 'org admin', key: world.orgAdmin.key, userId: world.orgAdmin.userId, blockedKey: world.orgAdmin.blockedKey },
      { name: 'key without user', key: world.noUser.key, userId: '', blockedKey: world.noUser.blockedKey },
    ];
  });

  afterAll(async () => {
    await harness?.stop();
    await isolation?.cleanup();
  });

  it('refuses each path for each actor (401 for a key without user, else 403 / 404) and no identity row changes', async () => {
    const matrix: Record<string, Record<string, string>> = {};
    const failures: string[] = [];
    let refused = 0;
    for (const [name, attempt] of paths) {
      matrix[name] = {};
      for (const actor of actors) {
        const request = attempt(actor, world);
        if (!request) {
          matrix[name][actor.name] = 'n/a';
          continue;
        }
        const [operation, body, query] = request;
        const before = await harness.snapshot();
        const result = await harness.run(asKey(actor.key), operation, body, query ?? {});
        const changed = JSON.stringify(await harness.snapshot()) !== JSON.stringify(before);
        const message = String((result.body.error as Json | undefined)?.message ?? '');
        matrix[name][actor.name] = `${result.status}${changed ? ' CHANGED' : ''}`;
        const expected = actor.name === 'key without user' ? result.status === 401 && message.includes('Only proxy admin can be used') : result.status === 403 || result.status === 404;
        if (!expected || changed) failures.push(`${actor.name} / ${name} (${operation} ${JSON.stringify(body)}): ${result.status}${changed ? ', rows changed' : ''} ${message}`);
        else refused++;
      }
    }
    console.table(matrix);
    console.log(`privilege escalation matrix: ${refused} attempts refused with nothing changed, ${failures.length} not`);
    expect(failures).toEqual([]);
    expect(refused).toBeGreaterThan(paths.length * actors.length * 0.9);
  });

  it('the keys that exist afterwards all resolve to their own user role, never above it', async () => {
    const keys = await harness.pool.query<{ token: string; user_id: string | null }>('SELECT token, user_id FROM identity_keys');
    for (const key of keys.rows) {
      const verified = await harness.services.verification.verify(key.token);
      if (verified.status !== 'valid' || !verified.identity) continue;
      const expectedRole = key.user_id === world.root.userId ? 'proxy_admin' : key.user_id === world.auditor.userId ? 'proxy_admin_viewer' : key.user_id === world.viewer.userId ? 'internal_user_viewer' : 'internal_user';
      expect(verified.identity.userRole, `key of ${key.user_id}`).toBe(expectedRole);
    }
    // Exactly the keys the proxy admin minted for root, unchanged: nobody else minted or regenerated one.
    const rootKeys = await harness.pool.query<{ token: string }>('SELECT token FROM identity_keys WHERE user_id = $1 ORDER BY token', [world.root.userId]);
    expect(rootKeys.rows.map((row) => row.token)).toEqual([world.root.key, world.root.blockedKey, world.root.teamKey].map(hashApiKey).sort());
  });
});
