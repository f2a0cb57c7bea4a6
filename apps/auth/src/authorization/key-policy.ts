import type { JsonObject, KeyEntity, OrganizationEntity, TeamEntity, UserEntity } from '@switchboard/data-access-identity';
import { parseDuration } from '@switchboard/identity';
import type { IdentityStore } from '../identity-store';
import { forbidden, invalidField, notFound } from '../management-error';
import type { KeyFields } from '../request-fields';
import { accessRules } from './access-rules';
import type { Bound, FittedKey } from './bounds';
import { checkChangeWithinBounds, creatingKeyBounds, fitNewKey, organizationBound, teamBound } from './bounds';
import { allowsMore, expiresLater, guardedLimitNames, keyTypeWithin, modelsWithin } from './limit-rules';
import type { Principal } from './principal';
import { isPrivilegedRole, isProxyAdmin } from './principal';
import type { PrincipalResolver } from './principal-resolver';

const text = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);
const list = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

/** What `/key/generate` will store, once the caller may create it. */
export interface KeyPlan extends FittedKey {
  userId: string | null;
  teamId: string | null;
  organizationId: string | null;
}

/**
 * Who may create a key for whom and with what, and who may change which field of a key
 * (docs/security.md, "Management authorization"). Proxy admins may do everything; an admin of a
 * key (its team's admin, its organization's admin) changes it within the team's and
 * organization's models and limits; its own user may only tighten it.
 */
export class KeyPolicy {
  constructor(
    private readonly store: IdentityStore,
    private readonly principals: PrincipalResolver,
  ) {}

  async planGenerate(principal: Principal, fields: KeyFields): Promise<KeyPlan> {
    const teamId = fields.team_id ?? undefined;
    const team = teamId ? await this.store.tables.teams.find(teamId) : undefined;
    if (teamId && (!team || !accessRules.canReadTeam(principal, team))) throw notFound('Team', teamId, 'team_id');
    const teamOrganizationId = text(team?.organization_id);
    if (fields.organization_id && teamOrganizationId && fields.organization_id !== teamOrganizationId) {
      throw invalidField('organization_id', `'organization_id' must be the team's organization (${teamOrganizationId})`);
    }
    const organizationId = fields.organization_id ?? teamOrganizationId;
    const organization = organizationId ? await this.store.tables.organizations.find(organizationId) : undefined;
    const readable = organization && (fields.organization_id === undefined || fields.organization_id === teamOrganizationId || accessRules.canReadOrganization(principal, organization));
    if (organizationId && !readable) throw notFound('Organization', organizationId, 'organization_id');
    const placement = { teamId: teamId ?? null, organizationId: organizationId ?? null };
    if (isProxyAdmin(principal)) return { ...fitNewKey(fields, [], []), ...placement, userId: fields.user_id ?? null };

    if (principal.scopeTeamId && teamId !== principal.scopeTeamId) throw forbidden(`A team key creates keys only in its own team: set team_id to ${principal.scopeTeamId}`, 'team_id');
    if (fields.organization_id && fields.organization_id !== teamOrganizationId && !accessRules.administersOrganization(principal, fields.organization_id)) {
      throw forbidden('Only an organization admin can create organization keys', 'organization_id');
    }
    const asAdmin = team ? accessRules.canWriteTeam(principal, team) : accessRules.administersOrganization(principal, organizationId);
    if (fields.allowed_routes?.length) throw forbidden('Only a proxy admin can set allowed_routes', 'allowed_routes');
    if (fields.metadata?.logging !== undefined && !asAdmin) throw forbidden('Only an admin of the key (proxy, team or organization admin) can set metadata.logging', 'metadata.logging');
    const userId = fields.user_id ?? (principal.userId as string);
    const user = userId === principal.userId ? principal.user : await this.checkKeyHolder(principal, userId, team, organization, asAdmin);
    const otherLists = [list(team ? team.models : user?.models)];
    const bounds: Bound[] = asAdmin
      ? [...(team ? [teamBound(team)] : []), ...(organization ? [organizationBound(organization, team !== undefined)] : [])]
      : creatingKeyBounds(principal.key ?? {}, principal.keyTeam, principal.user);
    return { ...fitNewKey(fields, otherLists, bounds), ...placement, userId };
  }

  /** `/key/update` of a key the caller may change (`accessRules.canWriteKey`). */
  async checkUpdate(principal: Principal, row: KeyEntity, team: TeamEntity | undefined, fields: KeyFields): Promise<void> {
    if (fields.team_id && fields.team_id !== row.team_id && !(await this.store.tables.teams.find(fields.team_id))) throw notFound('Team', fields.team_id, 'team_id');
    if (isProxyAdmin(principal)) return;
    if (fields.user_id !== undefined && fields.user_id !== row.user_id) throw forbidden('Only a proxy admin can move a key to another user', 'user_id');
    if (fields.organization_id !== undefined && fields.organization_id !== row.organization_id) throw forbidden('Only a proxy admin can move a key to another organization', 'organization_id');
    if (fields.allowed_routes !== undefined) throw forbidden('Only a proxy admin can set allowed_routes', 'allowed_routes');
    const admin = accessRules.administersKey(principal, row, team);
    const movesTeam = fields.team_id !== undefined && fields.team_id !== row.team_id;
    const targetTeam = movesTeam ? await this.checkTeamMove(principal, row, fields.team_id ?? null, admin) : team;
    const loggingChanged = fields.metadata !== undefined && JSON.stringify(fields.metadata.logging) !== JSON.stringify((row.metadata as JsonObject | undefined)?.logging);
    if (loggingChanged && !admin) throw forbidden('Only an admin of the key (proxy, team or organization admin) can change metadata.logging', 'metadata.logging');
    if (!admin) return checkTightens(fields, row);
    const organizationId = text(targetTeam?.organization_id) ?? text(row.organization_id);
    const organization = organizationId ? await this.store.tables.organizations.find(organizationId) : undefined;
    const user = !targetTeam && text(row.user_id) ? await this.store.tables.users.find(String(row.user_id)) : undefined;
    const bounds = [...(targetTeam ? [teamBound(targetTeam)] : []), ...(organization ? [organizationBound(organization, targetTeam !== undefined)] : [])];
    checkChangeWithinBounds(fields, [list(targetTeam ? targetTeam.models : user?.models)], bounds);
  }

  /** `/key/block` tightens, so the key's user may do it; `/key/unblock` is for admins of the key. */
  checkBlock(principal: Principal, row: KeyEntity, team: TeamEntity | undefined, blocked: boolean): void {
    if (!blocked && row.blocked === true && !accessRules.administersKey(principal, row, team)) throw forbidden('Only an admin of the key (proxy, team or organization admin) can unblock it', 'key');
  }

  /**
   * Changing, regenerating, blocking or deleting a key of someone else needs power over its user
   * too: a team admin never regenerates (and so receives) a proxy admin's key of its team.
   */
  async checkHolderWithinReach(principal: Principal, row: KeyEntity, team: TeamEntity | undefined): Promise<void> {
    const holderId = text(row.user_id);
    if (!holderId || holderId === principal.userId || isProxyAdmin(principal)) return;
    const holder = await this.principals.forUser(holderId);
    if (holder) await this.checkHolderPowers(principal, holder, team !== undefined);
  }

  /**
   * An admin minting a key for someone else: the holder must be a member of the team (or the
   * organization) the caller administers, never a proxy admin or viewer, and must not carry through
   * that key any administration the caller lacks.
   */
  private async checkKeyHolder(principal: Principal, userId: string, team: TeamEntity | undefined, organization: OrganizationEntity | undefined, asAdmin: boolean): Promise<UserEntity> {
    if (!asAdmin) throw forbidden(`You can only create keys for yourself. Got user_id=${userId}`, 'user_id');
    const holder = await this.principals.forUser(userId);
    if (team && !holder?.memberTeamIds.has(String(team.team_id))) throw forbidden(`User=${userId} is not a member of team=${String(team.team_id)}`, 'user_id');
    if (!team && organization && !holder?.memberOrganizationIds.has(String(organization.organization_id))) {
      throw forbidden(`User=${userId} is not a member of organization=${String(organization.organization_id)}`, 'user_id');
    }
    if (!holder?.user) throw forbidden(`You can only create keys for members of a team or organization you administer. Got user_id=${userId}`, 'user_id');
    await this.checkHolderPowers(principal, holder, team !== undefined);
    return holder.user;
  }

  /** A team key carries only its holder's standing in the team (and its role); a personal key all of its holder's powers. */
  private async checkHolderPowers(principal: Principal, holder: Principal, teamKey: boolean): Promise<void> {
    const userId = holder.userId ?? '';
    if (isPrivilegedRole(holder.role)) throw forbidden(`User=${userId} is a ${holder.role}: only a proxy admin creates or manages its keys`, 'user_id');
    if (teamKey) return;
    for (const organizationId of holder.adminOrganizationIds) {
      if (!principal.adminOrganizationIds.has(organizationId)) throw forbidden(`User=${userId} administers an organization you do not`, 'user_id');
    }
    for (const teamId of holder.memberTeamIds) {
      const held = await this.store.tables.teams.find(teamId);
      if (held && !accessRules.canWriteTeam(principal, held)) throw forbidden(`User=${userId} is a member of a team you do not administer; use a key of that team instead`, 'user_id');
    }
  }

  private async checkTeamMove(principal: Principal, row: KeyEntity, teamId: string | null, admin: boolean): Promise<TeamEntity> {
    if (teamId === null) throw forbidden('Only a proxy admin can take a key out of its team', 'team_id');
    if (!admin) throw forbidden('Only an admin of the key can move it to another team', 'team_id');
    const target = await this.store.tables.teams.find(teamId);
    if (!target || !accessRules.canReadTeam(principal, target)) throw notFound('Team', teamId, 'team_id');
    if (!accessRules.canWriteTeam(principal, target)) throw forbidden('Only an admin of the target team can move a key into it', 'team_id');
    const members = (target.members_with_roles as Array<{ user_id?: string }>) ?? [];
    if (text(row.user_id) && !members.some((member) => member.user_id === row.user_id)) throw forbidden(`User=${String(row.user_id)} is not a member of team=${teamId}`, 'team_id');
    return target;
  }
}

/** The key's own user may lower a limit, shorten the expiry, narrow the models and key type, block it. */
function checkTightens(fields: KeyFields, row: KeyEntity): void {
  const current = (row.limits as JsonObject | undefined) ?? {};
  for (const name of guardedLimitNames) {
    if (fields[name] !== undefined && allowsMore(name, fields[name], current[name])) {
      throw forbidden(`Only an admin of the key (proxy, team or organization admin) can raise or remove its ${name}; its user may only lower it`, name);
    }
  }
  if (fields.duration !== undefined) {
    const expires = fields.duration ? new Date(Date.now() + parseDuration(fields.duration)).toISOString() : null;
    if (expiresLater(expires, text(row.expires))) throw forbidden("Only an admin of the key can extend its expiry; its user may only shorten it ('duration')", 'duration');
  }
  if (fields.models !== undefined && !modelsWithin(fields.models, list(row.models))) throw forbidden("Only an admin of the key can widen its models; its user may only narrow them", 'models');
  if (fields.key_type !== undefined && !keyTypeWithin(fields.key_type, text(row.key_type))) throw forbidden("Only an admin of the key can widen its key_type", 'key_type');
  if (fields.blocked !== undefined && fields.blocked !== true && row.blocked === true) throw forbidden('Only an admin of the key can unblock it', 'blocked');
}
