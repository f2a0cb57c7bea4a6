import type { KeyEntity, OrganizationEntity, TeamEntity, UserEntity } from '@switchboard/data-access-identity';
import type { Principal } from './principal';
import { isProxyAdmin, isViewer, readsEverything } from './principal';

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * Who may read and change which identity object. Reading is what decides 404 (another tenant's
 * object does not exist for the caller); changing what it can read but not administer is 403.
 * What may be changed in an object it may change is decided by the key and membership policies.
 */
export const accessRules = {
  administersOrganization(principal: Principal, organizationId: unknown): boolean {
    return isProxyAdmin(principal) || (!isViewer(principal) && typeof organizationId === 'string' && principal.adminOrganizationIds.has(organizationId));
  },

  canReadOrganization(principal: Principal, organization: OrganizationEntity): boolean {
    const id = String(organization.organization_id);
    return readsEverything(principal) || principal.memberOrganizationIds.has(id) || principal.adminOrganizationIds.has(id);
  },

  /** Team admins, admins of the team's organization and proxy admins. */
  canWriteTeam(principal: Principal, team: TeamEntity): boolean {
    if (isViewer(principal)) return false;
    return isProxyAdmin(principal) || principal.adminTeamIds.has(String(team.team_id)) || accessRules.administersOrganization(principal, team.organization_id);
  },

  canReadTeam(principal: Principal, team: TeamEntity): boolean {
    return (
      readsEverything(principal) ||
      principal.memberTeamIds.has(String(team.team_id)) ||
      (typeof team.organization_id === 'string' && principal.adminOrganizationIds.has(team.organization_id))
    );
  },

  /** The key's own user (a team key only for keys of its team). */
  ownsKey(principal: Principal, key: KeyEntity): boolean {
    if (!principal.userId || key.user_id !== principal.userId) return false;
    return principal.scopeTeamId === undefined || key.team_id === principal.scopeTeamId;
  },

  /** An admin of the key: proxy admin, admin of its team or of its organization. */
  administersKey(principal: Principal, key: KeyEntity, team: TeamEntity | undefined): boolean {
    if (isProxyAdmin(principal)) return true;
    if (team && accessRules.canWriteTeam(principal, team)) return true;
    return accessRules.administersOrganization(principal, key.organization_id);
  },

  canReadKey(principal: Principal, key: KeyEntity, team: TeamEntity | undefined): boolean {
    if (readsEverything(principal) || key.token === principal.keyHash) return true;
    if (accessRules.ownsKey(principal, key)) return true;
    if (team && accessRules.canWriteTeam(principal, team)) return true;
    if (team && isViewer(principal) && principal.adminTeamIds.has(String(team.team_id))) return true;
    return typeof key.organization_id === 'string' && principal.adminOrganizationIds.has(key.organization_id);
  },

  canWriteKey(principal: Principal, key: KeyEntity, team: TeamEntity | undefined): boolean {
    if (isViewer(principal)) return false;
    return accessRules.ownsKey(principal, key) || accessRules.administersKey(principal, key, team);
  },

  canReadUser(principal: Principal, user: UserEntity, teamIds: readonly string[]): boolean {
    if (readsEverything(principal) || user.user_id === principal.userId) return true;
    if (typeof user.organization_id === 'string' && principal.adminOrganizationIds.has(user.organization_id)) return true;
    return teamIds.some((teamId) => principal.adminTeamIds.has(teamId));
  },

  canWriteUser(principal: Principal, user: UserEntity): boolean {
    if (isViewer(principal)) return false;
    return isProxyAdmin(principal) || accessRules.administersOrganization(principal, text(user.organization_id));
  },
};
