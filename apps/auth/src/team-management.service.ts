import { randomUUID } from 'node:crypto';
import type { JsonObject, TeamEntity, Values } from '@switchboard/data-access-identity';
import { accessRules } from './authorization/access-rules';
import type { MembershipPolicy } from './authorization/membership-policy';
import { readsEverything } from './authorization/principal';
import type { ChangePublisher } from './change-publisher';
import { IdentityStore } from './identity-store';
import type { CommandScope } from './key-management.service';
import { forbidden, invalidField, notFound } from './management-error';
import type { MemberRegistry } from './member-registry';
import { assignDefined, memberFields, mergeLimits, parseFields, pickLimits, requiredId, requiredIds, teamFields } from './request-fields';
import { keyView, teamView } from './views';

interface TeamMember {
  user_id: string;
  user_email?: string | null;
  role: 'admin' | 'user';
}

/** LiteLLM's team routes: new, update, delete, info, list, member_add, member_delete, block, unblock. */
export class TeamManagementService {
  constructor(
    private readonly store: IdentityStore,
    private readonly changes: ChangePublisher,
    private readonly members: MemberRegistry,
    private readonly policy: MembershipPolicy,
  ) {}

  async create(scope: CommandScope, body: Record<string, unknown>): Promise<JsonObject> {
    const fields = parseFields(teamFields, body);
    const { principal } = scope;
    const organizationId = fields.organization_id ?? undefined;
    const models = await this.policy.checkTeamCreate(principal, fields);
    const teamId = fields.team_id ?? randomUUID();
    if (await this.store.tables.teams.find(teamId)) throw invalidField('team_id', `Team ${teamId} already exists`);
    const draft = { team_id: teamId, organization_id: organizationId ?? null };
    const found = [];
    for (const member of fields.members_with_roles ?? []) {
      const user = await this.members.find(member);
      await this.policy.checkTeamMember(principal, draft, user);
      found.push({ member, user });
    }
    const members: TeamMember[] = [];
    for (const { member, user } of found) members.push({ ...(await this.members.ensureUser(scope, member, organizationId, user)), role: member.role });
    if (!principal.isMaster && principal.userId && !members.some((member) => member.user_id === principal.userId)) {
      members.push({ user_id: principal.userId, role: 'admin' });
    }
    const row = await this.store.tables.teams.insert({
      team_id: teamId,
      team_alias: fields.team_alias ?? null,
      organization_id: organizationId ?? null,
      models,
      tags: fields.tags ?? [],
      limits: pickLimits(fields),
      metadata: fields.metadata ?? {},
      members_with_roles: members,
      blocked: fields.blocked ?? false,
      created_by: scope.auditName,
      updated_by: scope.auditName,
    });
    return teamView(row, 0);
  }

  async update(scope: CommandScope, body: Record<string, unknown>): Promise<JsonObject> {
    const fields = parseFields(teamFields, body);
    const team = await this.findWritable(scope, requiredId(body.team_id, 'team_id'));
    await this.policy.checkTeamUpdate(scope.principal, team, fields);
    const limits = pickLimits(fields);
    const patch: Values<TeamEntity> = { updated_by: scope.auditName };
    assignDefined(patch, fields, ['team_alias', 'organization_id', 'models', 'tags', 'metadata', 'blocked']);
    if (Object.keys(limits).length) patch.limits = mergeLimits(team, limits);
    const updated = await this.store.tables.teams.update(String(team.team_id), patch);
    this.changes.publish({ teamIds: [String(team.team_id)] });
    return { data: teamView(updated ?? team, await this.store.spendOf('team', String(team.team_id))) };
  }

  async delete(scope: CommandScope, body: Record<string, unknown>): Promise<JsonObject> {
    const teamIds = requiredIds(body.team_ids, 'team_ids');
    const teams: TeamEntity[] = [];
    for (const teamId of teamIds) {
      const team = await this.findWritable(scope, teamId);
      this.policy.checkTeamAdministration(scope.principal, team, 'delete');
      teams.push(team);
    }
    const deletedKeys = await this.store.transaction(async (tables) => {
      const hashes: string[] = [];
      for (const team of teams) {
        for (const key of await tables.keys.findBy([{ column: 'team_id', op: 'eq', value: team.team_id }])) {
          await IdentityStore.archiveKey(tables, key, scope.auditName, scope.changedBy);
          await tables.keys.delete(String(key.token));
          hashes.push(String(key.token));
        }
        await tables.teams.delete(String(team.team_id));
      }
      return hashes;
    });
    this.changes.publish({ teamIds, keyHashes: deletedKeys });
    return { deleted_teams: teamIds };
  }

  async info(scope: CommandScope, query: Record<string, string>): Promise<JsonObject> {
    const teamId = requiredId(query.team_id, 'team_id');
    const team = await this.store.tables.teams.find(teamId);
    if (!team || !accessRules.canReadTeam(scope.principal, team)) throw notFound('Team', teamId, 'team_id');
    const keys = await this.store.tables.keys.findBy([{ column: 'team_id', op: 'eq', value: teamId }]);
    const visible = keys.filter((key) => accessRules.canReadKey(scope.principal, key, team));
    return {
      team_id: teamId,
      team_info: teamView(team, await this.store.spendOf('team', teamId)),
      keys: await Promise.all(visible.map(async (key) => keyView(key, await this.store.spendOf('key', String(key.token))))),
    };
  }

  async list(scope: CommandScope, query: Record<string, string>): Promise<JsonObject[]> {
    const { principal } = scope;
    const filters: Array<Parameters<typeof this.store.tables.teams.findBy>[0][number]> = [];
    if (query.organization_id) filters.push({ column: 'organization_id', op: 'eq', value: query.organization_id });
    if (query.user_id) filters.push({ column: 'members_with_roles', op: 'contains', value: [{ user_id: query.user_id }] });
    const teams = await this.store.tables.teams.findBy(filters);
    const visible = readsEverything(principal) ? teams : teams.filter((team) => accessRules.canReadTeam(principal, team));
    return Promise.all(visible.map(async (team) => teamView(team, await this.store.spendOf('team', String(team.team_id)))));
  }

  async addMembers(scope: CommandScope, body: Record<string, unknown>): Promise<JsonObject> {
    const team = await this.findWritable(scope, requiredId(body.team_id, 'team_id'));
    const requested = Array.isArray(body.member) ? body.member : [body.member];
    if (body.member === undefined) throw invalidField('member', "'member' is required");
    const members = [...(team.members_with_roles as TeamMember[])];
    const updatedUsers: JsonObject[] = [];
    // Every member is authorized before any user is created or any membership written.
    const found = [];
    for (const item of requested) {
      const member = parseFields(memberFields, item);
      const role = parseRole(member.role);
      const existing = await this.members.find(member);
      await this.policy.checkTeamMember(scope.principal, team, existing);
      found.push({ member, role, existing });
    }
    for (const { member, role, existing: known } of found) {
      const user = await this.members.ensureUser(scope, member, typeof team.organization_id === 'string' ? team.organization_id : undefined, known);
      const existing = members.findIndex((candidate) => candidate.user_id === user.user_id);
      const entry: TeamMember = { ...user, role };
      if (existing >= 0) members[existing] = entry;
      else members.push(entry);
      updatedUsers.push({ user_id: user.user_id, user_email: user.user_email ?? null });
    }
    const updated = await this.store.tables.teams.update(String(team.team_id), { members_with_roles: members, updated_by: scope.auditName });
    this.changes.publish({ teamIds: [String(team.team_id)] });
    return {
      ...teamView(updated ?? team, await this.store.spendOf('team', String(team.team_id))),
      updated_users: updatedUsers,
      updated_team_memberships: updatedUsers.map((user) => ({ team_id: team.team_id, user_id: user.user_id })),
    };
  }

  async deleteMember(scope: CommandScope, body: Record<string, unknown>): Promise<JsonObject> {
    const team = await this.findWritable(scope, requiredId(body.team_id, 'team_id'));
    const userId = typeof body.user_id === 'string' ? body.user_id : undefined;
    const email = typeof body.user_email === 'string' ? body.user_email.toLowerCase() : undefined;
    if (!userId && !email) throw invalidField('user_id', "'user_id' or 'user_email' is required");
    const members = team.members_with_roles as TeamMember[];
    const remaining = members.filter((member) => !(member.user_id === userId || (email && member.user_email?.toLowerCase() === email)));
    if (remaining.length === members.length) throw notFound('Team member', userId ?? email, userId ? 'user_id' : 'user_email');
    const updated = await this.store.tables.teams.update(String(team.team_id), { members_with_roles: remaining, updated_by: scope.auditName });
    this.changes.publish({ teamIds: [String(team.team_id)] });
    return teamView(updated ?? team, await this.store.spendOf('team', String(team.team_id)));
  }

  async setBlocked(scope: CommandScope, body: Record<string, unknown>, blocked: boolean): Promise<JsonObject> {
    const team = await this.findWritable(scope, requiredId(body.team_id, 'team_id'));
    this.policy.checkTeamAdministration(scope.principal, team, blocked ? 'block' : 'unblock');
    const updated = await this.store.tables.teams.update(String(team.team_id), { blocked, updated_by: scope.auditName });
    this.changes.publish({ teamIds: [String(team.team_id)] });
    return teamView(updated ?? team, await this.store.spendOf('team', String(team.team_id)));
  }

  private async findWritable(scope: CommandScope, teamId: string): Promise<TeamEntity> {
    const team = await this.store.tables.teams.find(teamId);
    if (!team || !accessRules.canReadTeam(scope.principal, team)) throw notFound('Team', teamId, 'team_id');
    if (!accessRules.canWriteTeam(scope.principal, team)) throw forbidden('Only a team admin can change this team', 'team_id');
    return team;
  }
}

function parseRole(role: string | undefined): 'admin' | 'user' {
  if (role === undefined || role === 'user' || role === 'admin') return role ?? 'user';
  throw invalidField('member.role', "'role' must be 'admin' or 'user'");
}
