import type { Row } from '@switchboard/data-access-identity';
import type { Principal } from './principal';
import { isProxyAdmin, isViewer, readsEverything } from './principal';

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * Who may read and change which identity object. Reading is what decides 404 (another tenant's
 * object does not exist for the caller); changing what it can read but not administer is 403.
 */
export const accessRules = {
  administersOrganization(principal: Principal, organizationId: unknown): boolean {
    return isProxyAdmin(principal) || (!isViewer(principal) && typeof organizationId === 'string' && principal.adminOrganizationIds.has(organizationId));
  },

  canReadOrganization(principal: Principal, organization: Row): boolean {
    const id = String(organization.organization_id);
    return readsEverything(principal) || principal.memberOrganizationIds.has(id) || principal.adminOrganizationIds.has(id);
  },

  canWriteTeam(principal: Principal, team: Row): boolean {
    if (isViewer(principal)) return false;
    return isProxyAdmin(principal) || principal.adminTeamIds.has(String(team.team_id)) || accessRules.administersOrganization(principal, team.organization_id);
  },

  canReadTeam(principal: Principal, team: Row): boolean {
    return (
      readsEverything(principal) ||
      principal.memberTeamIds.has(String(team.team_id)) ||
      (typeof team.organization_id === 'string' && principal.adminOrganizationIds.has(team.organization_id))
    );
  },

  canReadKey(principal: Principal, key: Row, team: Row | undefined): boolean {
    if (readsEverything(principal) || key.token === principal.keyHash) return true;
    if (principal.userId && key.user_id === principal.userId) return true;
    if (team && accessRules.canWriteTeam(principal, team)) return true;
    if (team && isViewer(principal) && principal.adminTeamIds.has(String(team.team_id))) return true;
    return typeof key.organization_id === 'string' && principal.adminOrganizationIds.has(key.organization_id);
  },

  canWriteKey(principal: Principal, key: Row, team: Row | undefined): boolean {
    if (isViewer(principal)) return false;
    if (isProxyAdmin(principal)) return true;
    if (principal.userId && key.user_id === principal.userId) return true;
    if (team && accessRules.canWriteTeam(principal, team)) return true;
    return accessRules.administersOrganization(principal, key.organization_id);
  },

  canReadUser(principal: Principal, user: Row, teamIds: readonly string[]): boolean {
    if (readsEverything(principal) || user.user_id === principal.userId) return true;
    if (typeof user.organization_id === 'string' && principal.adminOrganizationIds.has(user.organization_id)) return true;
    return teamIds.some((teamId) => principal.adminTeamIds.has(teamId));
  },

  canWriteUser(principal: Principal, user: Row): boolean {
    if (isViewer(principal)) return false;
    return isProxyAdmin(principal) || accessRules.administersOrganization(principal, text(user.organization_id));
  },
};
