import { randomUUID } from 'node:crypto';
import type { JsonObject, OrganizationEntity, Values } from '@switchboard/data-access-identity';
import { accessRules } from './authorization/access-rules';
import type { MembershipPolicy } from './authorization/membership-policy';
import { readsEverything } from './authorization/principal';
import type { ChangePublisher } from './change-publisher';
import type { IdentityStore } from './identity-store';
import type { CommandScope } from './key-management.service';
import { invalidField, notFound } from './management-error';
import type { MemberRegistry } from './member-registry';
import { assignDefined, memberFields, mergeLimits, organizationFields, parseFields, pickLimits, requiredId, requiredIds } from './request-fields';
import { organizationView, teamView } from './views';

type OrganizationRole = 'org_admin' | 'internal_user' | 'internal_user_viewer';
const organizationRoles: readonly OrganizationRole[] = ['org_admin', 'internal_user', 'internal_user_viewer'];

interface OrganizationMember {
  user_id: string;
  user_email?: string | null;
  user_role: OrganizationRole;
}

/** LiteLLM's organization routes: new, info, update, delete, list, member_add. */
export class OrganizationManagementService {
  constructor(
    private readonly store: IdentityStore,
    private readonly changes: ChangePublisher,
    private readonly members: MemberRegistry,
    private readonly policy: MembershipPolicy,
  ) {}

  async create(scope: CommandScope, body: Record<string, unknown>): Promise<JsonObject> {
    const fields = parseFields(organizationFields, body);
    if (!fields.organization_alias) throw invalidField('organization_alias', "'organization_alias' is required");
    const organizationId = fields.organization_id ?? randomUUID();
    if (await this.store.tables.organizations.find(organizationId)) throw invalidField('organization_id', `Organization ${organizationId} already exists`);
    const row = await this.store.tables.organizations.insert({
      organization_id: organizationId,
      organization_alias: fields.organization_alias,
      models: fields.models ?? [],
      limits: pickLimits(fields),
      metadata: fields.metadata ?? {},
      members: [],
      created_by: scope.auditName,
      updated_by: scope.auditName,
    });
    return organizationView(row, 0);
  }

  async update(scope: CommandScope, body: Record<string, unknown>): Promise<JsonObject> {
    const fields = parseFields(organizationFields, body);
    const organization = await this.findReadable(scope, requiredId(body.organization_id, 'organization_id'));
    this.policy.checkOrganizationUpdate(scope.principal, organization, fields);
    const limits = pickLimits(fields);
    const patch: Values<OrganizationEntity> = { updated_by: scope.auditName };
    assignDefined(patch, fields, ['organization_alias', 'models', 'metadata']);
    if (Object.keys(limits).length) patch.limits = mergeLimits(organization, limits);
    const updated = await this.store.tables.organizations.update(String(organization.organization_id), patch);
    this.changes.publish({ organizationIds: [String(organization.organization_id)] });
    return organizationView(updated ?? organization, await this.store.spendOf('organization', String(organization.organization_id)));
  }

  async delete(scope: CommandScope, body: Record<string, unknown>): Promise<JsonObject> {
    const organizationIds = requiredIds(body.organization_ids, 'organization_ids');
    for (const organizationId of organizationIds) await this.findReadable(scope, organizationId);
    await this.store.transaction(async (tables) => {
      for (const organizationId of organizationIds) {
        if ((await tables.teams.findBy([{ column: 'organization_id', op: 'eq', value: organizationId }])).length) {
          throw invalidField('organization_ids', `Organization ${organizationId} still has teams; delete or move them first`);
        }
        await tables.organizations.delete(organizationId);
      }
    });
    this.changes.publish({ organizationIds });
    return { deleted_organizations: organizationIds };
  }

  async info(scope: CommandScope, query: Record<string, string>): Promise<JsonObject> {
    const organizationId = requiredId(query.organization_id, 'organization_id');
    const organization = await this.findReadable(scope, organizationId);
    const teams = await this.store.tables.teams.findBy([{ column: 'organization_id', op: 'eq', value: organizationId }]);
    return {
      ...organizationView(organization, await this.store.spendOf('organization', organizationId)),
      teams: teams.map((team) => teamView(team, 0)),
    };
  }

  async list(scope: CommandScope): Promise<JsonObject[]> {
    const organizations = await this.store.tables.organizations.findBy([]);
    const visible = readsEverything(scope.principal) ? organizations : organizations.filter((organization) => accessRules.canReadOrganization(scope.principal, organization));
    return Promise.all(visible.map(async (organization) => organizationView(organization, await this.store.spendOf('organization', String(organization.organization_id)))));
  }

  async addMembers(scope: CommandScope, body: Record<string, unknown>): Promise<JsonObject> {
    const organization = await this.findReadable(scope, requiredId(body.organization_id, 'organization_id'));
    this.policy.checkOrganizationMember(scope.principal, organization, undefined);
    if (body.member === undefined) throw invalidField('member', "'member' is required");
    const requested = Array.isArray(body.member) ? body.member : [body.member];
    const members = [...(organization.members as OrganizationMember[])];
    const updatedUsers: JsonObject[] = [];
    // Every member is authorized before any user is created or moved.
    const found = [];
    for (const item of requested) {
      const member = parseFields(memberFields, item);
      const role = (member.role ?? 'internal_user') as OrganizationRole;
      if (!organizationRoles.includes(role)) throw invalidField('member.role', "'role' must be org_admin, internal_user or internal_user_viewer");
      const existing = await this.members.find(member);
      this.policy.checkOrganizationMember(scope.principal, organization, existing);
      found.push({ member, role, existing });
    }
    for (const { member, role, existing: known } of found) {
      const user = await this.members.ensureUser(scope, member, String(organization.organization_id), known);
      const entry: OrganizationMember = { ...user, user_role: role };
      const existing = members.findIndex((candidate) => candidate.user_id === user.user_id);
      if (existing >= 0) members[existing] = entry;
      else members.push(entry);
      await this.store.tables.users.update(user.user_id, { organization_id: organization.organization_id });
      updatedUsers.push({ user_id: user.user_id, user_email: user.user_email ?? null, user_role: role });
    }
    const updated = await this.store.tables.organizations.update(String(organization.organization_id), { members, updated_by: scope.auditName });
    this.changes.publish({ organizationIds: [String(organization.organization_id)], userIds: updatedUsers.map((user) => String(user.user_id)) });
    return { organization_id: organization.organization_id, updated_users: updatedUsers, updated_organization_memberships: (updated?.members as unknown[]) ?? members };
  }

  private async findReadable(scope: CommandScope, organizationId: string): Promise<OrganizationEntity> {
    const organization = await this.store.tables.organizations.find(organizationId);
    if (!organization || !accessRules.canReadOrganization(scope.principal, organization)) throw notFound('Organization', organizationId, 'organization_id');
    return organization;
  }
}
