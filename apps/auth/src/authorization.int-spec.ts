import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '@switchboard/identity';
import { createIsolation, runMigrations } from '@switchboard/testing';
import type { Isolation } from '@switchboard/testing';
import { ManagementHarness, asKey, master } from './management-harness';
import type { Json } from './management-harness';
import { actorKeyLimits, buildWorld } from './management-world';
import type { World } from './management-world';

/** Each role keeps its legitimate powers under the authorization model (docs/security.md). */
describe('management authorization: what each role may still do', () => {
  let isolation: Isolation;
  let harness: ManagementHarness;
  let world: World;
  const keyInfo = async (key: string) => (await harness.ok(master, 'key/info', {}, { key })).info as Json;
  const status = async (key: string, operation: string, body: Json = {}, query: Record<string, string> = {}) => (await harness.run(asKey(key), operation, body, query)).status;

  beforeAll(async () => {
    isolation = await createIsolation();
    if (!isolation.migrated) await runMigrations(isolation.environment);
    harness = await ManagementHarness.start(isolation);
    world = await buildWorld(harness);
  });

  afterAll(async () => {
    await harness?.stop();
    await isolation?.cleanup();
  });

  it('a team admin mints keys for team members within the team, never above its models and limits', async () => {
    const { teamAdmin, member, teamT } = world;
    const minted = await harness.ok(asKey(teamAdmin.key), 'key/generate', { user_id: member.userId, team_id: teamT, max_budget: 20, tpm_limit: 400 });
    expect(minted).toMatchObject({ user_id: member.userId, team_id: teamT, organization_id: world.organizationA, max_budget: 20, tpm_limit: 400 });
    const verified = await harness.services.verification.verify(String(minted.token));
    expect(verified.identity).toMatchObject({ userId: member.userId, userRole: 'internal_user', teamModels: ['gpt'] });
    expect(await status(teamAdmin.key, 'key/generate', { user_id: member.userId, team_id: teamT, max_budget: 60 })).toBe(403);
    expect(await status(teamAdmin.key, 'key/generate', { user_id: member.userId, team_id: teamT, models: ['mini'] })).toBe(403);
    // A proxy admin who is a member of the team is still out of the team admin's reach.
    expect(await status(teamAdmin.key, 'key/generate', { user_id: world.root.userId, team_id: teamT })).toBe(403);
    // Raising a team key's limits up to the team's is the team admin's to do; past them it is not.
    expect((await harness.ok(asKey(teamAdmin.key), 'key/update', { key: String(minted.key), max_budget: 45, models: ['gpt'] })).max_budget).toBe(45);
    expect(await status(teamAdmin.key, 'key/update', { key: String(minted.key), max_budget: 51 })).toBe(403);
    expect((await harness.ok(asKey(teamAdmin.key), 'key/update', { key: String(minted.key), max_budget: null })).max_budget).toBeNull();
    // Unblocking is an admin's power: the team admin lifts a block the proxy admin set on a team key.
    await harness.ok(master, 'key/block', { key: String(minted.key) });
    await harness.ok(asKey(teamAdmin.key), 'key/unblock', { key: String(minted.key) });
  });

  it("a key's own user tightens it (lower limits, shorter expiry, fewer models, block) but cannot loosen it again", async () => {
    const own = String((await harness.ok(master, 'key/generate', { ...actorKeyLimits, user_id: world.member.userId, models: ['gpt', 'mini'] })).key);
    const before = await keyInfo(own);
    const tighter = { max_budget: 5, soft_budget: 1, tpm_limit: 50, rpm_limit: 5, max_parallel_requests: 1, budget_duration: '60d', model_rpm_limit: { gpt: 1, mini: 1 }, model_tpm_limit: { gpt: 10 }, model_max_budget: { gpt: { budget_limit: 0.5, time_period: '7d' } } };
    await harness.ok(asKey(world.member.key), 'key/update', { key: own, ...tighter, duration: '1d', models: ['gpt'], key_type: 'read_only', key_alias: 'mine', metadata: { note: 'ok' } });
    const after = await keyInfo(own);
    expect(after).toMatchObject({ ...tighter, models: ['gpt'], key_type: 'read_only', key_alias: 'mine', metadata: { note: 'ok' } });
    expect(Date.parse(String(after.expires))).toBeLessThan(Date.parse(String(before.expires)));
    expect(await status(world.member.key, 'key/update', { key: own, max_budget: 6 })).toBe(403);
    expect(await status(world.member.key, 'key/update', { key: own, models: ['gpt', 'mini'] })).toBe(403);
    await harness.ok(asKey(world.member.key), 'key/block', { key: own });
    expect(await status(world.member.key, 'key/unblock', { key: own })).toBe(403);
    await harness.ok(master, 'key/unblock', { key: own });
    expect((await keyInfo(own)).blocked).toBe(false);
  });

  it("a key minted for oneself takes the creating key's models, limits, expiry and key type unless it names tighter ones", async () => {
    const creator = await keyInfo(world.member.key);
    const minted = await harness.ok(asKey(world.member.key), 'key/generate', { key_alias: 'child', tpm_limit: 60 });
    expect(minted).toMatchObject({ user_id: world.member.userId, models: ['gpt'], max_budget: 10, tpm_limit: 60, rpm_limit: 10, budget_duration: '30d', key_type: 'management', model_rpm_limit: { gpt: 5 } });
    expect(minted.expires).toBe(creator.expires);
    // A team key of the member mints keys of its team only, bounded by the team key.
    const teamChild = await harness.ok(asKey(world.member.teamKey), 'key/generate', { team_id: world.teamT });
    expect(teamChild).toMatchObject({ user_id: world.member.userId, team_id: world.teamT, max_budget: 10 });
  });

  it('an organization admin adds users without an organization, promotes within it, creates teams and keys inside its models', async () => {
    const { orgAdmin, organizationA, loner, member } = world;
    const added = await harness.ok(asKey(orgAdmin.key), 'organization/member_add', { organization_id: organizationA, member: [{ user_id: loner.userId }, { user_id: member.userId, role: 'org_admin' }] });
    expect(added.updated_users).toHaveLength(2);
    expect(((await harness.ok(master, 'user/info', {}, { user_id: loner.userId })).user_info as Json).organization_id).toBe(organizationA);
    const team = await harness.ok(asKey(orgAdmin.key), 'team/new', { team_alias: 'alpha-new', organization_id: organizationA, max_budget: 80 });
    expect(team.models).toEqual(['gpt', 'mini']);
    expect(await status(orgAdmin.key, 'team/new', { team_alias: 'too-rich', organization_id: organizationA, max_budget: 101 })).toBe(403);
    await harness.ok(asKey(orgAdmin.key), 'team/update', { team_id: world.teamT, max_budget: 90, models: ['gpt', 'mini'] });
    // An organization key for a member whose teams the organization admin administers.
    const orgKey = await harness.ok(asKey(orgAdmin.key), 'key/generate', { user_id: loner.userId, organization_id: organizationA, models: ['mini'] });
    expect(orgKey).toMatchObject({ user_id: loner.userId, organization_id: organizationA, models: ['mini'], max_budget: 100, tpm_limit: 1000 });
    const user = await harness.ok(asKey(orgAdmin.key), 'user/new', { user_email: 'staff@alpha.example', organization_id: organizationA, max_budget: 30 });
    expect(user).toMatchObject({ models: ['gpt', 'mini'], max_budget: 30, user_role: 'internal_user' });
    await harness.ok(asKey(orgAdmin.key), 'user/update', { user_id: String(user.user_id), max_budget: 40, user_alias: 'Staff' });
    await harness.ok(master, 'organization/member_add', { organization_id: organizationA, member: { user_id: member.userId, role: 'internal_user' } });
  });

  it('a team admin adds new users and users it can see, promotes members of its team, reads only its team of a user', async () => {
    const { teamAdmin, teamT, member } = world;
    const added = await harness.ok(asKey(teamAdmin.key), 'team/member_add', { team_id: teamT, member: [{ user_email: 'new@alpha.example', role: 'user' }, { user_id: member.userId, role: 'admin' }] });
    expect(added.updated_users).toHaveLength(2);
    await harness.ok(asKey(teamAdmin.key), 'team/member_add', { team_id: teamT, member: { user_id: member.userId, role: 'user' } });
    await harness.ok(asKey(teamAdmin.key), 'team/update', { team_id: teamT, team_alias: 'alpha-search-2', metadata: { owner: 'search' } });
    // The member's personal keys stay invisible to the admin of one of its teams.
    const info = await harness.ok(asKey(teamAdmin.key), 'user/info', {}, { user_id: member.userId });
    const keys = info.keys as Json[];
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key.team_id).toBe(teamT);
    expect(keys.map((key) => key.token)).not.toContain(hashApiKey(member.key));
    expect((info.teams as Json[]).map((team) => team.team_id)).toEqual([teamT]);
    // The member sees all of its keys with a personal key, only the team's with its team key.
    const own = (await harness.ok(asKey(member.key), 'user/info', {}, {})).keys as Json[];
    expect(own.map((key) => key.token)).toEqual(expect.arrayContaining([hashApiKey(member.key), hashApiKey(member.teamKey)]));
    const throughTeamKey = (await harness.ok(asKey(member.teamKey), 'user/info', {}, {})).keys as Json[];
    for (const key of throughTeamKey) expect(key.team_id).toBe(teamT);
    const listed = (await harness.ok(asKey(member.teamKey), 'key/list', {}, { return_full_object: 'true' })).keys as Json[];
    for (const key of listed) expect(key.team_id).toBe(teamT);
  });

  it('a key with no user calls nothing but its own /key/info (401 with LiteLLM\'s message elsewhere)', async () => {
    const { noUser } = world;
    const own = await harness.ok(asKey(noUser.key), 'key/info', {}, {});
    expect((own.info as Json).token).toBe(hashApiKey(noUser.key));
    await harness.ok(asKey(noUser.key), 'key/info', {}, { key: noUser.key });
    for (const [operation, query] of [['key/info', { key: world.member.key }], ['key/list', {}], ['user/info', {}], ['team/list', {}], ['organization/list', {}]] as const) {
      const result = await harness.run(asKey(noUser.key), operation, {}, query);
      expect(result.status, operation).toBe(401);
      expect((result.body.error as Json).message).toBe(
        `Authentication Error, Only proxy admin can be used to generate, delete, update info for new keys/users/teams. Route=/${operation}. Your role=unknown. Your user_id=unknown`,
      );
    }
    // The old bug: a key with no user minted keys for every model. It cannot mint at all now.
    const keysBefore = (await harness.pool.query('SELECT count(*)::int AS count FROM identity_keys')).rows[0].count;
    expect(await status(noUser.key, 'key/generate', {})).toBe(401);
    expect((await harness.pool.query('SELECT count(*)::int AS count FROM identity_keys')).rows[0].count).toBe(keysBefore);
  });

  it("a key naming a user that does not exist has no user; a proxy admin user's key keeps every power, its viewer's only reads", async () => {
    const orphan = String((await harness.ok(master, 'key/generate', { user_id: 'ghost-user' })).key);
    expect(await status(orphan, 'key/list')).toBe(401);
    const created = await harness.ok(master, 'user/new', { user_id: 'newcomer', user_email: 'newcomer@example.com' });
    expect(await status(String(created.key), 'key/list')).toBe(200);
    const rootModel = await harness.run(asKey(world.root.key), 'model/new', { model_name: 'root-model', litellm_params: { model: 'openai/gpt-4o' }, model_info: { id: 'root-model' } });
    expect(rootModel.status).toBe(200);
    await harness.ok(asKey(world.root.key), 'user/update', { user_id: world.member.userId, user_role: 'internal_user', max_budget: 3 });
    expect(await status(world.auditor.key, 'key/list')).toBe(200);
    expect(await status(world.auditor.key, 'model/delete', { id: 'root-model' })).toBe(403);
  });
});
