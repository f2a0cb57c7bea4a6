import { randomUUID } from 'node:crypto';
import type { JsonObject, OrganizationMemberRecord, TeamEntity, UserEntity, Values } from '@switchboard/data-access-identity';
import { accessRules } from './authorization/access-rules';
import type { MembershipPolicy } from './authorization/membership-policy';
import { readsEverything } from './authorization/principal';
import type { ChangePublisher } from './change-publisher';
import { IdentityStore } from './identity-store';
import type { CommandScope, KeyManagementService } from './key-management.service';
import { forbidden, invalidField, notFound } from './management-error';
import { assignDefined, mergeLimits, pageOf, parseFields, pickLimits, requiredIds, userFields } from './request-fields';
import { keyView, userView } from './views';

interface TeamMember {
  user_id: string;
  user_email?: string | null;
  role: 'admin' | 'user';
}

/** LiteLLM's user routes: new, info, update, delete, list. */
export class UserManagementService {
  constructor(
    private readonly store: IdentityStore,
    private readonly changes: ChangePublisher,
    private readonly keys: KeyManagementService,
    private readonly policy: MembershipPolicy,
  ) {}

  async create(scope: CommandScope, body: Record<string, unknown>): Promise<JsonObject> {
    const fields = parseFields(userFields, body);
    const organizationId = fields.organization_id ?? undefined;
    const models = await this.policy.checkUserCreate(scope.principal, fields);
    const userId = fields.user_id ?? randomUUID();
    if (await this.store.tables.users.find(userId)) throw invalidField('user_id', `User ${userId} already exists`);
    const email = fields.user_email?.toLowerCase() ?? null;
    if (email && (await this.store.tables.users.findBy([{ column: 'user_email', op: 'eq', value: email }])).length) throw invalidField('user_email', `A user with this email already exists`);
    const teams = (fields.teams ?? []).map((team) => (typeof team === 'string' ? { team_id: team, user_role: 'user' as const } : { team_id: team.team_id, user_role: team.user_role ?? 'user' }));
    const user = await this.store.transaction(async (tables) => {
      const inserted = await tables.users.insert({
        user_id: userId,
        user_email: email,
        user_alias: fields.user_alias ?? null,
        user_role: fields.user_role ?? 'internal_user',
        organization_id: organizationId ?? null,
        models,
        limits: pickLimits(fields),
        metadata: fields.metadata ?? {},
        created_by: scope.auditName,
        updated_by: scope.auditName,
      });
      for (const team of teams) {
        const row = await tables.teams.find(team.team_id);
        const members = ((row?.members_with_roles as TeamMember[]) ?? []).filter((member) => member.user_id !== userId);
        members.push({ user_id: userId, user_email: email, role: team.user_role });
        await tables.teams.update(team.team_id, { members_with_roles: members, updated_by: scope.auditName });
      }
      if (organizationId) {
        const organization = await tables.organizations.find(organizationId);
        const members = ((organization?.members as OrganizationMemberRecord[] | undefined) ?? []).filter((member) => member.user_id !== userId);
        await tables.organizations.update(organizationId, { members: [...members, { user_id: userId, user_role: fields.user_role ?? 'internal_user' }] });
      }
      return inserted;
    });
    const view = userView(user, 0, teams.map((team) => team.team_id));
    if (fields.auto_create_key === false) return view;
    const key = await this.keys.generateForNewUser(scope, userId, models);
    return { ...key, ...view };
  }

  async info(scope: CommandScope, query: Record<string, string>): Promise<JsonObject> {
    const userId = query.user_id ?? scope.principal.userId;
    if (!userId) throw invalidField('user_id', "'user_id' is required");
    const user = await this.store.tables.users.find(userId);
    const teams = await this.teamsOf(userId);
    if (!user || !accessRules.canReadUser(scope.principal, user, teams.map((team) => String(team.team_id)))) throw notFound('User', userId, 'user_id');
    // Only the keys (and teams) the caller may read: a team admin sees the user's keys of their team, not the others.
    const keys = [];
    for (const key of await this.store.tables.keys.findBy([{ column: 'user_id', op: 'eq', value: userId }])) {
      const team = key.team_id ? teams.find((row) => row.team_id === key.team_id) ?? (await this.store.tables.teams.find(String(key.team_id))) : undefined;
      if (accessRules.canReadKey(scope.principal, key, team)) keys.push(key);
    }
    const visibleTeams = teams.filter((team) => accessRules.canReadTeam(scope.principal, team));
    return {
      user_id: userId,
      user_info: userView(user, await this.store.spendOf('user', userId), visibleTeams.map((team) => String(team.team_id))),
      keys: await Promise.all(keys.map(async (key) => keyView(key, await this.store.spendOf('key', String(key.token))))),
      teams: visibleTeams.map((team) => ({ team_id: team.team_id, team_alias: team.team_alias })),
    };
  }

  async update(scope: CommandScope, body: Record<string, unknown>): Promise<JsonObject> {
    const fields = parseFields(userFields, body);
    const user = await this.findByIdOrEmail(scope, body);
    await this.policy.checkUserUpdate(scope.principal, user, fields);
    const limits = pickLimits(fields);
    const patch: Values<UserEntity> = { updated_by: scope.auditName };
    assignDefined(patch, fields, ['user_alias', 'user_role', 'organization_id', 'models', 'metadata']);
    if (fields.user_email !== undefined) patch.user_email = fields.user_email?.toLowerCase() ?? null;
    if (Object.keys(limits).length) patch.limits = mergeLimits(user, limits);
    const updated = await this.store.tables.users.update(String(user.user_id), patch);
    this.changes.publish({ userIds: [String(user.user_id)] });
    const teams = await this.teamsOf(String(user.user_id));
    return userView(updated ?? user, await this.store.spendOf('user', String(user.user_id)), teams.map((team) => String(team.team_id)));
  }

  async delete(scope: CommandScope, body: Record<string, unknown>): Promise<JsonObject> {
    const userIds = requiredIds(body.user_ids, 'user_ids');
    const users: UserEntity[] = [];
    for (const userId of userIds) {
      const user = await this.store.tables.users.find(userId);
      const teams = user ? await this.teamsOf(userId) : [];
      if (!user || !accessRules.canReadUser(scope.principal, user, teams.map((team) => String(team.team_id)))) throw notFound('User', userId, 'user_ids');
      await this.policy.checkUserDelete(scope.principal, user);
      users.push(user);
    }
    const deletedKeys = await this.store.transaction(async (tables) => {
      const hashes: string[] = [];
      for (const user of users) {
        for (const key of await tables.keys.findBy([{ column: 'user_id', op: 'eq', value: user.user_id }])) {
          await IdentityStore.archiveKey(tables, key, scope.auditName, scope.changedBy);
          await tables.keys.delete(String(key.token));
          hashes.push(String(key.token));
        }
        for (const team of await tables.teams.findBy([{ column: 'members_with_roles', op: 'contains', value: [{ user_id: user.user_id }] }])) {
          const members = (team.members_with_roles as TeamMember[]).filter((member) => member.user_id !== user.user_id);
          await tables.teams.update(String(team.team_id), { members_with_roles: members });
        }
        await tables.users.delete(String(user.user_id));
      }
      return hashes;
    });
    this.changes.publish({ userIds, keyHashes: deletedKeys });
    return { deleted_users: userIds };
  }

  async list(scope: CommandScope, query: Record<string, string>): Promise<JsonObject> {
    const { principal } = scope;
    const page = pageOf({ ...query, size: query.page_size ?? query.size ?? '25' });
    const filters: Array<Parameters<typeof this.store.tables.users.list>[0][number]> = [];
    if (query.role) filters.push({ column: 'user_role', op: 'eq', value: query.role });
    if (query.user_ids) filters.push({ column: 'user_id', op: 'in', value: query.user_ids.split(',') });
    if (query.organization_id) filters.push({ column: 'organization_id', op: 'eq', value: query.organization_id });
    if (!readsEverything(principal)) {
      const organizations = [...principal.adminOrganizationIds];
      if (query.organization_id && !principal.adminOrganizationIds.has(query.organization_id)) throw forbidden('You can only list users of organizations you administer', 'organization_id');
      if (organizations.length === 0) filters.push({ column: 'user_id', op: 'eq', value: principal.userId ?? '' });
      else if (!query.organization_id) filters.push({ column: 'organization_id', op: 'in', value: organizations });
    }
    const { rows, total } = await this.store.tables.users.list(filters, page);
    const users = await Promise.all(rows.map(async (user) => userView(user, await this.store.spendOf('user', String(user.user_id)), (await this.teamsOf(String(user.user_id))).map((team) => String(team.team_id)))));
    return { users, total, page: page.page, page_size: page.size, total_pages: Math.ceil(total / page.size) };
  }

  private async teamsOf(userId: string): Promise<TeamEntity[]> {
    return this.store.tables.teams.findBy([{ column: 'members_with_roles', op: 'contains', value: [{ user_id: userId }] }]);
  }

  private async findByIdOrEmail(scope: CommandScope, body: Record<string, unknown>): Promise<UserEntity> {
    let user: UserEntity | undefined;
    let param = 'user_id';
    if (typeof body.user_id === 'string' && body.user_id) user = await this.store.tables.users.find(body.user_id);
    else if (typeof body.user_email === 'string' && body.user_email) {
      param = 'user_email';
      [user] = await this.store.tables.users.findBy([{ column: 'user_email', op: 'eq', value: body.user_email.toLowerCase() }]);
    } else throw invalidField('user_id', "'user_id' or 'user_email' is required");
    const teams = user ? await this.teamsOf(String(user.user_id)) : [];
    if (!user || !accessRules.canReadUser(scope.principal, user, teams.map((team) => String(team.team_id)))) throw notFound('User', undefined, param);
    return user;
  }
}
