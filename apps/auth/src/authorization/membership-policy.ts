import type { OrganizationEntity, TeamEntity, UserEntity } from '@switchboard/data-access-identity';
import type { IdentityStore } from '../identity-store';
import { forbidden, notFound } from '../management-error';
import type { OrganizationFields, TeamFields, UserFields } from '../request-fields';
import { accessRules } from './access-rules';
import { checkChangeWithinBounds, fitModelsForNew, organizationBound } from './bounds';
import type { Principal } from './principal';
import { isPrivilegedRole, isProxyAdmin } from './principal';
import type { PrincipalResolver } from './principal-resolver';

const text = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);
const limitChange = (fields: Record<string, unknown>) =>
  ['max_budget', 'soft_budget', 'budget_duration', 'tpm_limit', 'rpm_limit', 'max_parallel_requests', 'model_max_budget', 'model_rpm_limit', 'model_tpm_limit'].find((name) => fields[name] !== undefined);

/**
 * Who may create, change and delete users and teams, who may add whom to a team or an
 * organization, and who may grant which role (docs/security.md, "Management authorization").
 * Organization admins act inside their organization and its models and limits; team admins inside
 * their team; roles above `internal_user` are granted by proxy admins only.
 */
export class MembershipPolicy {
  constructor(
    private readonly store: IdentityStore,
    private readonly principals: PrincipalResolver,
  ) {}

  /** `/user/new`: returns the user's models (an organization admin's new user gets the organization's when unset). */
  async checkUserCreate(principal: Principal, fields: UserFields): Promise<string[]> {
    const teamIds = (fields.teams ?? []).map((team) => (typeof team === 'string' ? team : team.team_id));
    for (const teamId of teamIds) await this.checkTeamJoinedByNewUser(principal, teamId, fields.organization_id ?? undefined);
    if (isProxyAdmin(principal)) return fields.models ?? [];
    const organizationId = fields.organization_id ?? undefined;
    if (!organizationId || !accessRules.administersOrganization(principal, organizationId)) throw forbidden('Only a proxy admin or an organization admin can create users', 'organization_id');
    if (fields.user_role && fields.user_role !== 'internal_user' && fields.user_role !== 'internal_user_viewer') throw forbidden('Only a proxy admin can grant this role', 'user_role');
    const bounds = await this.organizationBounds(organizationId);
    checkChangeWithinBounds({ ...fields, models: undefined }, [], bounds);
    return fitModelsForNew(fields.models, bounds);
  }

  async checkUserUpdate(principal: Principal, user: UserEntity, fields: UserFields): Promise<void> {
    if (isProxyAdmin(principal)) return;
    if (fields.user_role !== undefined && fields.user_role !== user.user_role) throw forbidden('Only a proxy admin can change a role', 'user_role');
    if (fields.organization_id !== undefined && fields.organization_id !== user.organization_id) throw forbidden('Only a proxy admin can move a user to another organization', 'organization_id');
    if (await this.administersUser(principal, user)) {
      const bounds = await this.organizationBounds(text(user.organization_id));
      checkChangeWithinBounds(fields, [], bounds);
      return;
    }
    if (user.user_id !== principal.userId) throw forbidden('You cannot change this user');
    if (principal.scopeTeamId) throw forbidden('A team key cannot change its user; use a personal key', 'user_id');
    const changed = fields.models !== undefined ? 'models' : limitChange(fields);
    if (changed) throw forbidden('You cannot change your own models, budget or limits', changed);
  }

  async checkUserDelete(principal: Principal, user: UserEntity): Promise<void> {
    if (!(await this.administersUser(principal, user))) throw forbidden('You cannot delete this user', 'user_ids');
  }

  /** `/team/new`: returns the team's models (an organization admin's new team gets the organization's when unset). */
  async checkTeamCreate(principal: Principal, fields: TeamFields): Promise<string[]> {
    const organizationId = fields.organization_id ?? undefined;
    if (organizationId) {
      const organization = await this.store.tables.organizations.find(organizationId);
      if (!organization || !accessRules.canReadOrganization(principal, organization)) throw notFound('Organization', organizationId, 'organization_id');
      if (!accessRules.administersOrganization(principal, organizationId)) throw forbidden('Only an organization admin can create teams in it', 'organization_id');
    } else if (!isProxyAdmin(principal)) {
      throw forbidden('Only a proxy admin can create teams outside an organization', 'organization_id');
    }
    if (isProxyAdmin(principal)) return fields.models ?? [];
    const bounds = await this.organizationBounds(organizationId);
    checkChangeWithinBounds({ ...fields, models: undefined }, [], bounds);
    return fitModelsForNew(fields.models, bounds);
  }

  /** `/team/update` of a team the caller may change (`accessRules.canWriteTeam`). */
  async checkTeamUpdate(principal: Principal, team: TeamEntity, fields: TeamFields): Promise<void> {
    if (isProxyAdmin(principal)) return;
    if (fields.organization_id !== undefined && fields.organization_id !== team.organization_id) throw forbidden('Only a proxy admin can move a team to another organization', 'organization_id');
    const changed = fields.models !== undefined ? 'models' : (limitChange(fields) ?? (fields.blocked !== undefined && fields.blocked !== (team.blocked === true) ? 'blocked' : undefined));
    if (!changed) return;
    if (!accessRules.administersOrganization(principal, team.organization_id)) throw forbidden("Only an admin of the team's organization can change its models, budget, limits and blocked state", changed);
    checkChangeWithinBounds(fields, [], await this.organizationBounds(text(team.organization_id)));
  }

  /** `/team/delete`, `/team/block`, `/team/unblock`: for the team's organization admins and proxy admins. */
  checkTeamAdministration(principal: Principal, team: TeamEntity, action: string): void {
    if (!accessRules.administersOrganization(principal, team.organization_id)) throw forbidden(`Only an organization admin can ${action} a team`, 'team_id');
  }

  /**
   * A team admin adds users they can already see (and new users, created in the team's
   * organization); nobody adds a user of another organization to an organization's team.
   */
  async checkTeamMember(principal: Principal, team: Pick<TeamEntity, 'organization_id'>, user: UserEntity | undefined): Promise<void> {
    if (!user || isProxyAdmin(principal)) return;
    const teams = await this.store.tables.teams.findBy([{ column: 'members_with_roles', op: 'contains', value: [{ user_id: user.user_id }] }]);
    if (!accessRules.canReadUser(principal, user, teams.map((row) => String(row.team_id)))) throw notFound('User', String(user.user_id), 'member.user_id');
    const organizationId = text(team.organization_id);
    if (organizationId && text(user.organization_id) && user.organization_id !== organizationId) throw forbidden(`User ${String(user.user_id)} belongs to another organization`, 'member.user_id');
  }

  /** An organization admin adds users without an organization or already in theirs; roles above `internal_user` only from proxy admins. */
  checkOrganizationMember(principal: Principal, organization: OrganizationEntity, user: UserEntity | undefined): void {
    if (!accessRules.administersOrganization(principal, organization.organization_id)) throw forbidden('Only an organization admin can add members', 'organization_id');
    if (!user || isProxyAdmin(principal)) return;
    if (text(user.organization_id) && user.organization_id !== organization.organization_id) throw forbidden(`User ${String(user.user_id)} belongs to another organization`, 'member.user_id');
    if (isPrivilegedRole(user.user_role)) throw forbidden('Only a proxy admin can add a proxy admin or proxy admin viewer to an organization', 'member.user_id');
  }

  checkOrganizationUpdate(principal: Principal, organization: OrganizationEntity, fields: OrganizationFields): void {
    if (!accessRules.administersOrganization(principal, organization.organization_id)) throw forbidden('Only an organization admin can change it', 'organization_id');
    const changed = fields.models !== undefined ? 'models' : limitChange(fields);
    if (changed && !isProxyAdmin(principal)) throw forbidden("Only a proxy admin can change an organization's models, budget and limits", changed);
  }

  /**
   * An admin of the user's organization who also administers every team the user belongs to and
   * every organization it administers (proxy admins always): a user of another tenant's team is
   * not changed or deleted from here.
   */
  private async administersUser(principal: Principal, user: UserEntity): Promise<boolean> {
    if (isProxyAdmin(principal)) return true;
    if (!accessRules.canWriteUser(principal, user)) return false;
    const holder = await this.principals.forUser(String(user.user_id));
    if (!holder) return true;
    if (isPrivilegedRole(holder.role)) return false;
    if ([...holder.adminOrganizationIds].some((id) => !principal.adminOrganizationIds.has(id))) return false;
    for (const teamId of holder.memberTeamIds) {
      const team = await this.store.tables.teams.find(teamId);
      if (team && !accessRules.canWriteTeam(principal, team)) return false;
    }
    return true;
  }

  private async checkTeamJoinedByNewUser(principal: Principal, teamId: string, organizationId: string | undefined): Promise<void> {
    const team = await this.store.tables.teams.find(teamId);
    if (!team || !accessRules.canReadTeam(principal, team)) throw notFound('Team', teamId, 'teams');
    if (!accessRules.canWriteTeam(principal, team)) throw forbidden('Only a team admin can add members to this team', 'teams');
    if (!isProxyAdmin(principal) && text(team.organization_id) && team.organization_id !== organizationId) throw forbidden(`Team ${teamId} belongs to another organization`, 'teams');
  }

  private async organizationBounds(organizationId: string | undefined) {
    const organization = organizationId ? await this.store.tables.organizations.find(organizationId) : undefined;
    return organization ? [organizationBound(organization)] : [];
  }
}
