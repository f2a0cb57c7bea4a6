import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManagementActor } from '@switchboard/contracts';
import { hashApiKey } from '@switchboard/identity';
import { createIsolation, runMigrations } from '@switchboard/testing';
import type { Isolation } from '@switchboard/testing';
import { createIdentityDataSource } from '@switchboard/data-access-identity';
import type { DataSource } from 'typeorm';
import { createAuthServices } from './auth-services';

type Json = Record<string, unknown>;
type Services = ReturnType<typeof createAuthServices>;

interface Tenant {
  organizationId: string;
  teamId: string;
  orgAdmin: { userId: string; key: string };
  teamAdmin: { userId: string; key: string };
  /** `key` is the member's team key; `personalKey` the key /user/new gave it. */
  member: { userId: string; key: string; personalKey: string };
  viewer: { userId: string; key: string };
}

describe('the management API (auth service over real Postgres and NATS)', () => {
  let isolation: Isolation;
  let pool: pg.Pool;
  let dataSource: DataSource;
  let connection: NatsConnection;
  let services: Services;
  const master: ManagementActor = { kind: 'master' };
  const asKey = (key: string): ManagementActor => ({ kind: 'key', keyHash: hashApiKey(key) });

  const run = async (actor: ManagementActor, operation: string, body: Json = {}, query: Record<string, string> = {}) => {
    const outcome = await services.management.handle({ operation, actor, body, query });
    if ('error' in outcome) return { status: outcome.error.status, body: { error: outcome.error } as Json };
    return { status: outcome.status, body: outcome.body as Json };
  };
  const ok = async (actor: ManagementActor, operation: string, body: Json = {}, query: Record<string, string> = {}) => {
    const result = await run(actor, operation, body, query);
    expect(result.status, `${operation}: ${JSON.stringify(result.body)}`).toBe(200);
    return result.body;
  };

  const tenant = async (name: string): Promise<Tenant> => {
    const organization = await ok(master, 'organization/new', { organization_alias: `${name}-org`, models: ['gpt'] });
    const organizationId = String(organization.organization_id);
    const person = async (role: string, extra: Json = {}) => {
      const user = await ok(master, 'user/new', { user_email: `${role}@${name}.example`, organization_id: organizationId, ...extra });
      return { userId: String(user.user_id), key: String(user.key) };
    };
    const orgAdmin = await person('org-admin');
    await ok(master, 'organization/member_add', { organization_id: organizationId, member: { user_id: orgAdmin.userId, role: 'org_admin' } });
    const teamAdmin = await person('team-admin');
    const member = await person('member');
    const viewer = await person('viewer', { user_role: 'internal_user_viewer' });
    const team = await ok(asKey(orgAdmin.key), 'team/new', {
      team_alias: `${name}-team`,
      organization_id: organizationId,
      members_with_roles: [
        { user_id: teamAdmin.userId, role: 'admin' },
        { user_id: member.userId, role: 'user' },
        { user_id: viewer.userId, role: 'user' },
      ],
    });
    const teamId = String(team.team_id);
    // The member's own team key, the one the other tenant must never reach.
    const memberKey = await ok(asKey(member.key), 'key/generate', { team_id: teamId, key_alias: `${name}-member-team-key` });
    return { organizationId, teamId, orgAdmin, teamAdmin, member: { userId: member.userId, key: String(memberKey.key), personalKey: member.key }, viewer };
  };

  let a: Tenant;
  let b: Tenant;

  beforeAll(async () => {
    isolation = await createIsolation();
    await runMigrations(isolation.environment);
    pool = new pg.Pool({ connectionString: isolation.databaseUrl, max: 4 });
    connection = await connect({ servers: isolation.urls.natsUrl });
    dataSource = await createIdentityDataSource({ url: isolation.databaseUrl, poolSize: 4 }).initialize();
    services = createAuthServices(dataSource, connection, isolation.namespace, { saltKey: 'int-salt', onUnexpected: (error) => { throw error; } });
    a = await tenant('alpha');
    b = await tenant('beta');
  });

  afterAll(async () => {
    await connection?.close();
    await dataSource?.destroy();
    await pool?.end();
    await isolation?.cleanup();
  });

  const snapshot = async () => {
    const tables = ['identity_organizations', 'identity_teams', 'identity_users', 'identity_keys', 'identity_customers', 'identity_models'];
    const rows: Record<string, unknown[]> = {};
    for (const table of tables) rows[table] = (await pool.query(`SELECT row_to_json(t)::text AS row FROM ${table} t ORDER BY 1`)).rows.map((row) => row.row);
    return rows;
  };

  it('zero cross-tenant reads or writes: every actor of one tenant against every route aimed at the other', async () => {
    const bMemberHash = hashApiKey(b.member.key);
    const attacks: Array<[string, Json, Record<string, string>]> = [
      ['key/info', {}, { key: b.member.key }],
      ['key/info', {}, { key: bMemberHash }],
      ['key/update', { key: bMemberHash, max_budget: 999 }, {}],
      ['key/update', { key_alias: 'beta-member-team-key', metadata: { pwned: true } }, {}],
      ['key/delete', { keys: [bMemberHash] }, {}],
      ['key/delete', { key_aliases: ['beta-member-team-key'] }, {}],
      ['key/block', { key: bMemberHash }, {}],
      ['key/unblock', { key: bMemberHash }, {}],
      ['key/regenerate', { key: bMemberHash }, {}],
      ['key/generate', { team_id: b.teamId }, {}],
      ['key/generate', { user_id: b.member.userId }, {}],
      ['key/generate', { organization_id: b.organizationId }, {}],
      ['user/info', {}, { user_id: b.member.userId }],
      ['user/update', { user_id: b.member.userId, user_alias: 'pwned' }, {}],
      ['user/update', { user_email: 'member@beta.example', user_alias: 'pwned' }, {}],
      ['user/delete', { user_ids: [b.member.userId] }, {}],
      ['user/new', { user_email: 'intruder@beta.example', organization_id: b.organizationId }, {}],
      ['team/info', {}, { team_id: b.teamId }],
      ['team/update', { team_id: b.teamId, team_alias: 'pwned' }, {}],
      ['team/delete', { team_ids: [b.teamId] }, {}],
      ['team/member_add', { team_id: b.teamId, member: { user_id: a.member.userId, role: 'admin' } }, {}],
      ['team/member_delete', { team_id: b.teamId, user_id: b.member.userId }, {}],
      ['team/block', { team_id: b.teamId }, {}],
      ['team/unblock', { team_id: b.teamId }, {}],
      ['team/new', { team_alias: 'intruder', organization_id: b.organizationId }, {}],
      ['organization/info', {}, { organization_id: b.organizationId }],
      ['organization/update', { organization_id: b.organizationId, organization_alias: 'pwned' }, {}],
      ['organization/delete', { organization_ids: [b.organizationId] }, {}],
      ['organization/member_add', { organization_id: b.organizationId, member: { user_id: a.member.userId, role: 'org_admin' } }, {}],
      ['customer/new', { user_id: 'customer-x' }, {}],
      ['customer/block', { user_ids: ['customer-x'] }, {}],
      ['model/new', { model_name: 'evil', litellm_params: { model: 'openai/gpt-4o', api_base: 'http://evil' } }, {}],
    ];
    const lists: Array<[string, Record<string, string>]> = [
      ['key/list', {}],
      ['key/list', { team_id: b.teamId }],
      ['key/list', { user_id: b.member.userId }],
      ['key/list', { organization_id: b.organizationId }],
      ['key/list', { key_hash: bMemberHash }],
      ['key/list', { key_alias: 'beta-member-team-key', return_full_object: 'true' }],
      ['user/list', {}],
      ['user/list', { organization_id: b.organizationId }],
      ['user/list', { user_ids: b.member.userId }],
      ['team/list', {}],
      ['team/list', { organization_id: b.organizationId }],
      ['team/list', { user_id: b.member.userId }],
      ['organization/list', {}],
      ['customer/list', {}],
    ];
    const before = await snapshot();
    const bIds = [b.organizationId, b.teamId, b.member.userId, b.teamAdmin.userId, b.orgAdmin.userId, b.viewer.userId, bMemberHash];
    let checks = 0;
    for (const [role, actor] of Object.entries({ orgAdmin: a.orgAdmin, teamAdmin: a.teamAdmin, member: a.member, viewer: a.viewer })) {
      for (const [operation, body, query] of attacks) {
        const result = await run(asKey(actor.key), operation, body, query);
        expect([403, 404], `${role} ${operation} ${JSON.stringify({ body, query })}: ${result.status}`).toContain(result.status);
        checks++;
      }
      for (const [operation, query] of lists) {
        const result = await run(asKey(actor.key), operation, {}, query);
        if (result.status === 200) {
          const text = JSON.stringify(result.body);
          for (const id of bIds) expect(text, `${role} ${operation} ${JSON.stringify(query)} leaked ${id}`).not.toContain(id);
        } else {
          expect([403, 404]).toContain(result.status);
        }
        checks++;
      }
    }
    expect(checks).toBe(4 * (attacks.length + lists.length));
    expect(await snapshot()).toEqual(before);
  });

  it('each role does what it administers in its own tenant, and no more', async () => {
    // The member: own keys only, in its own team.
    const own = await ok(asKey(a.member.key), 'key/generate', { team_id: a.teamId });
    expect(own.user_id).toBe(a.member.userId);
    expect((await run(asKey(a.member.key), 'key/generate', { team_id: a.teamId, user_id: a.teamAdmin.userId })).status).toBe(403);
    expect((await run(asKey(a.member.key), 'team/update', { team_id: a.teamId, team_alias: 'x' })).status).toBe(403);
    expect((await run(asKey(a.member.key), 'key/generate', { allowed_routes: ['/key/*'] })).status).toBe(403);
    expect((await run(asKey(a.member.key), 'user/update', { user_id: a.member.userId, user_role: 'proxy_admin' })).status).toBe(403);
    expect((await run(asKey(a.member.key), 'user/update', { user_id: a.member.userId, max_budget: 1000 })).status).toBe(403);
    // A team key acts only within its team: the user's profile is changed with a personal key.
    expect((await run(asKey(a.member.key), 'user/update', { user_id: a.member.userId, user_alias: 'Ada' })).status).toBe(403);
    expect((await ok(asKey(a.member.personalKey), 'user/update', { user_id: a.member.userId, user_alias: 'Ada' })).user_alias).toBe('Ada');
    // Callback destinations send data where they say: a key owner cannot set them, the team admin can.
    const logging = [{ callback_name: 'webhook', callback_vars: { generic_logger_endpoint: 'http://10.0.0.1/steal' } }];
    expect((await run(asKey(a.member.key), 'key/generate', { team_id: a.teamId, metadata: { logging } })).status).toBe(403);
    expect((await run(asKey(a.member.key), 'key/update', { key: String(own.key), metadata: { logging } })).status).toBe(403);
    expect((await run(asKey(a.member.key), 'key/update', { key: String(own.key), metadata: { note: 'fine' } })).status).toBe(200);
    expect((await run(asKey(a.teamAdmin.key), 'key/update', { key: String(own.key), metadata: { logging } })).status).toBe(200);
    // The team admin: members and keys of its team, not the team's budget.
    await ok(asKey(a.teamAdmin.key), 'team/member_add', { team_id: a.teamId, member: { user_email: 'new@alpha.example', role: 'user' } });
    const forMember = await ok(asKey(a.teamAdmin.key), 'key/generate', { team_id: a.teamId, user_id: a.member.userId });
    expect(forMember.user_id).toBe(a.member.userId);
    expect((await run(asKey(a.teamAdmin.key), 'team/update', { team_id: a.teamId, max_budget: 1e6 })).status).toBe(403);
    expect((await ok(asKey(a.teamAdmin.key), 'key/list', {}, { team_id: a.teamId })).total_count).toBeGreaterThanOrEqual(3);
    // The organization admin: teams and users of its organization, never another role.
    await ok(asKey(a.orgAdmin.key), 'team/update', { team_id: a.teamId, max_budget: 50 });
    expect((await run(asKey(a.orgAdmin.key), 'user/new', { user_email: 'boss@alpha.example', organization_id: a.organizationId, user_role: 'proxy_admin' })).status).toBe(403);
    await ok(asKey(a.orgAdmin.key), 'user/new', { user_email: 'staff@alpha.example', organization_id: a.organizationId });
    expect((await run(asKey(a.orgAdmin.key), 'organization/new', { organization_alias: 'mine' })).status).toBe(403);
    // The viewer: reads its own, writes nothing.
    expect((await run(asKey(a.viewer.key), 'key/generate', {})).status).toBe(403);
    expect((await ok(asKey(a.viewer.key), 'user/info', {}, {})).user_id).toBe(a.viewer.userId);
    expect((await run(asKey(a.viewer.key), 'customer/list')).status).toBe(403);
  });

  it('every route: happy path, bad input naming the field, unknown id', async () => {
    const team = await ok(master, 'team/new', { team_alias: 'routes', models: ['gpt'] });
    const teamId = String(team.team_id);
    const generated = await ok(master, 'key/generate', { team_id: teamId, key_alias: 'routes-key' });
    const key = String(generated.key);
    const cases: Array<[string, Json, Record<string, string>, number, string?]> = [
      ['key/generate', { tpm_limit: -5 }, {}, 400, 'tpm_limit'],
      ['key/generate', { models: 'gpt' }, {}, 400, 'models'],
      ['key/generate', { key: 'not-sk' }, {}, 400, 'key'],
      ['key/generate', { team_id: 'missing-team' }, {}, 404, 'team_id'],
      ['key/update', { key: 'sk-missing-key-000000' }, {}, 404, 'key'],
      ['key/update', { key, duration: 'soon' }, {}, 400, 'duration'],
      ['key/update', {}, {}, 400, 'key'],
      ['key/delete', { keys: [] }, {}, 400, 'keys'],
      ['key/delete', { keys: ['sk-missing-key-000000'] }, {}, 404, 'key'],
      ['key/info', {}, { key: 'sk-missing-key-000000' }, 404, 'key'],
      ['key/list', {}, { size: '1000' }, 400, 'size'],
      ['key/regenerate', { key: 'sk-missing-key-000000' }, {}, 404, 'key'],
      ['key/regenerate', { key, grace_period: 'later' }, {}, 400, 'grace_period'],
      ['key/block', {}, {}, 400, 'key'],
      ['key/unblock', { key: 'sk-missing-key-000000' }, {}, 404, 'key'],
      ['user/new', { user_email: 'not-an-email' }, {}, 400, 'user_email'],
      ['user/new', { user_role: 'god' }, {}, 400, 'user_role'],
      ['user/info', {}, { user_id: 'missing-user' }, 404, 'user_id'],
      ['user/update', { user_id: 'missing-user' }, {}, 404, 'user_id'],
      ['user/update', {}, {}, 400, 'user_id'],
      ['user/delete', { user_ids: 'u1' }, {}, 400, 'user_ids'],
      ['user/delete', { user_ids: ['missing-user'] }, {}, 404, 'user_ids'],
      ['user/list', {}, { page: '0' }, 400, 'page'],
      ['team/new', { max_budget: 'lots' }, {}, 400, 'max_budget'],
      ['team/new', { team_id: teamId }, {}, 400, 'team_id'],
      ['team/update', {}, {}, 400, 'team_id'],
      ['team/update', { team_id: 'missing-team' }, {}, 404, 'team_id'],
      ['team/delete', { team_ids: ['missing-team'] }, {}, 404, 'team_id'],
      ['team/info', {}, {}, 400, 'team_id'],
      ['team/info', {}, { team_id: 'missing-team' }, 404, 'team_id'],
      ['team/member_add', { team_id: teamId }, {}, 400, 'member'],
      ['team/member_add', { team_id: teamId, member: { user_id: 'x', role: 'owner' } }, {}, 400, 'member.role'],
      ['team/member_add', { team_id: 'missing-team', member: { user_id: 'x' } }, {}, 404, 'team_id'],
      ['team/member_delete', { team_id: teamId, user_id: 'not-a-member' }, {}, 404, 'user_id'],
      ['team/block', { team_id: 'missing-team' }, {}, 404, 'team_id'],
      ['team/unblock', {}, {}, 400, 'team_id'],
      ['organization/new', {}, {}, 400, 'organization_alias'],
      ['organization/update', { organization_id: 'missing-org' }, {}, 404, 'organization_id'],
      ['organization/delete', { organization_ids: ['missing-org'] }, {}, 404, 'organization_id'],
      ['organization/info', {}, { organization_id: 'missing-org' }, 404, 'organization_id'],
      ['organization/member_add', { organization_id: 'missing-org', member: { user_id: 'x' } }, {}, 404, 'organization_id'],
      ['customer/new', {}, {}, 400, 'user_id'],
      ['customer/new', { user_id: 'c1', allowed_model_region: 'mars' }, {}, 400, 'allowed_model_region'],
      ['customer/info', {}, { end_user_id: 'missing-customer' }, 404, 'end_user_id'],
      ['customer/update', { user_id: 'missing-customer' }, {}, 404, 'user_id'],
      ['customer/delete', { user_ids: ['missing-customer'] }, {}, 404, 'user_ids'],
      ['customer/block', {}, {}, 400, 'user_ids'],
      ['model/new', { model_name: 'm' }, {}, 400, 'litellm_params'],
      ['model/new', { model_name: 'm', litellm_params: { api_key: 'x' } }, {}, 400, 'litellm_params.model'],
      ['model/update', { model_info: { id: 'missing-model' } }, {}, 404, 'model_info.id'],
      ['model/delete', { id: 'missing-model' }, {}, 404, 'id'],
      ['key/unknown_route', {}, {}, 404, undefined],
    ];
    for (const [operation, body, query, status, param] of cases) {
      const result = await run(master, operation, body, query);
      expect(result.status, `${operation} ${JSON.stringify(body)} -> ${JSON.stringify(result.body)}`).toBe(status);
      if (param) expect((result.body.error as Json).param, operation).toBe(param);
    }

    // Happy paths not covered above.
    await ok(master, 'key/update', { key, max_budget: 3, tags: ['prod'] });
    await ok(master, 'key/block', { key });
    await ok(master, 'key/unblock', { key_alias: 'routes-key' });
    expect((await ok(master, 'key/list', {}, { team_id: teamId, return_full_object: 'true' })).keys).toEqual([expect.objectContaining({ key_alias: 'routes-key', max_budget: 3, tags: ['prod'] })]);
    const user = await ok(master, 'user/new', { user_id: 'route-user', user_email: 'Route@Example.com', auto_create_key: false });
    expect(user).toMatchObject({ user_id: 'route-user', user_email: 'route@example.com' });
    expect(user.key).toBeUndefined();
    await ok(master, 'user/update', { user_email: 'route@example.com', max_budget: 4 });
    expect(((await ok(master, 'user/info', {}, { user_id: 'route-user' })).user_info as Json).max_budget).toBe(4);
    expect((await ok(master, 'user/list', {}, { user_ids: 'route-user' })).users).toHaveLength(1);
    await ok(master, 'team/member_add', { team_id: teamId, member: [{ user_id: 'route-user', role: 'admin' }] });
    await ok(master, 'team/member_delete', { team_id: teamId, user_id: 'route-user' });
    await ok(master, 'team/block', { team_id: teamId });
    expect((await services.verification.verify(hashApiKey(key))).status).toBe('team_blocked');
    await ok(master, 'team/unblock', { team_id: teamId });
    expect((await services.verification.verify(hashApiKey(key))).status).toBe('valid');
    const organization = await ok(master, 'organization/new', { organization_alias: 'routes-org', max_budget: 100 });
    await ok(master, 'organization/update', { organization_id: organization.organization_id, metadata: { tier: 'gold' } });
    expect(await ok(master, 'organization/info', {}, { organization_id: String(organization.organization_id) })).toMatchObject({ max_budget: 100, metadata: { tier: 'gold' } });
    await ok(master, 'organization/delete', { organization_ids: [organization.organization_id] });
    await ok(master, 'customer/new', { user_id: 'end-user-1', max_budget: 2, allowed_model_region: 'eu' });
    await ok(master, 'customer/update', { user_id: 'end-user-1', alias: 'Acme' });
    await ok(master, 'customer/block', { user_ids: ['end-user-1'] });
    expect(await ok(master, 'customer/info', {}, { end_user_id: 'end-user-1' })).toMatchObject({ alias: 'Acme', blocked: true, max_budget: 2 });
    await ok(master, 'customer/unblock', { user_ids: ['end-user-1'] });
    expect(((await ok(master, 'customer/list')) as unknown as Json[]).map((customer) => customer.user_id)).toContain('end-user-1');
    await ok(master, 'customer/delete', { user_ids: ['end-user-1'] });
    await ok(master, 'model/new', { model_name: 'm1', litellm_params: { model: 'openai/gpt-4o', api_key: 'sk-secret' }, model_info: { id: 'm1' } });
    await ok(master, 'model/update', { model_info: { id: 'm1' }, litellm_params: { api_base: 'http://upstream' } });
    expect(await services.models.all()).toEqual([expect.objectContaining({ model_id: 'm1', litellm_params: expect.objectContaining({ api_base: 'http://upstream', api_key: expect.stringMatching(/^encrypted\//) }) })]);
    await ok(master, 'model/delete', { id: 'm1' });
    await ok(master, 'team/delete', { team_ids: [teamId] });
    expect((await services.verification.verify(hashApiKey(key))).status).toBe('not_found');
    const archived = await pool.query('SELECT deleted_by FROM identity_deleted_keys WHERE token = $1', [hashApiKey(key)]);
    expect(archived.rows).toEqual([{ deleted_by: 'master_key' }]);
    await ok(master, 'user/delete', { user_ids: ['route-user'] });
  });

  it('migrations are idempotent', async () => {
    await runMigrations(isolation.environment);
    const applied = await pool.query("SELECT count(*)::int AS count FROM switchboard_migrations WHERE name = 'CreateIdentity1764000200000'");
    expect(applied.rows[0].count).toBe(1);
  });

  it('shows callback credentials in team and key metadata masked, references as they are', async () => {
    const logging = [{ callback_name: 'langfuse', callback_vars: { langfuse_public_key: 'pk-lf-1', langfuse_secret_key: 'sk-lf-secret-value', langfuse_host: 'https://lf.example' } }];
    const team = await ok(master, 'team/new', { team_alias: 'masked', metadata: { logging } });
    expect(JSON.stringify(team)).not.toContain('sk-lf-secret-value');
    const info = await ok(master, 'team/info', {}, { team_id: String(team.team_id) });
    expect((info.team_info as Json).metadata).toEqual({ logging: [{ callback_name: 'langfuse', callback_vars: { langfuse_public_key: '*****', langfuse_secret_key: '*****', langfuse_host: 'https://lf.example' } }] });
    const key = await ok(master, 'key/generate', { metadata: { logging: [{ callback_name: 'langfuse', callback_vars: { langfuse_secret_key: 'os.environ/LF_SECRET' } }] } });
    expect(((await ok(master, 'key/info', {}, { key: String(key.key) })).info as Json).metadata).toEqual({ logging: [{ callback_name: 'langfuse', callback_vars: { langfuse_secret_key: 'os.environ/LF_SECRET' } }] });
    // Stored as sent: the logging service still gets the real value.
    const stored = await pool.query('SELECT metadata FROM identity_teams WHERE team_id = $1', [team.team_id]);
    expect(JSON.stringify(stored.rows[0].metadata)).toContain('sk-lf-secret-value');
  });
});

