import type { UserRole } from '@switchboard/contracts';
import type { KeyEntity, TeamEntity, UserEntity } from '@switchboard/data-access-identity';

/**
 * Who issues a management command, with what they administer, resolved from the database on
 * every command (never trusted from the gateway beyond the key hash).
 */
export interface Principal {
  /** For the audit columns: `master_key`, or the key's user id / hash prefix. */
  auditName: string;
  role: UserRole;
  isMaster: boolean;
  /**
   * False for a key with no user (or whose user no longer exists): it may call models and read its
   * own `/key/info`, nothing else (LiteLLM answers 401 "Only proxy admin can ...").
   */
  hasUser: boolean;
  keyHash?: string;
  userId?: string;
  /**
   * A team key acts only within its team: its user's powers elsewhere (other teams, organizations,
   * personal keys) do not travel with it. Unset for personal keys and for proxy admins and viewers.
   */
  scopeTeamId?: string;
  /** The calling key, and the team or user whose model list bounds it: the ceiling of keys it mints for itself. */
  key?: KeyEntity;
  keyTeam?: TeamEntity;
  user?: UserEntity;
  /** Teams whose `admin` the caller is, and teams it belongs to in any role. */
  adminTeamIds: ReadonlySet<string>;
  memberTeamIds: ReadonlySet<string>;
  /** Organizations whose `org_admin` the caller is, and organizations it belongs to. */
  adminOrganizationIds: ReadonlySet<string>;
  memberOrganizationIds: ReadonlySet<string>;
}

export function isProxyAdmin(principal: Principal): boolean {
  return principal.isMaster || (principal.hasUser && principal.role === 'proxy_admin');
}

/** Proxy admins and their viewers read everything. */
export function readsEverything(principal: Principal): boolean {
  return isProxyAdmin(principal) || (principal.hasUser && principal.role === 'proxy_admin_viewer');
}

/** Viewers (`proxy_admin_viewer`, `internal_user_viewer`) never change anything. */
export function isViewer(principal: Principal): boolean {
  return !principal.isMaster && (principal.role === 'proxy_admin_viewer' || principal.role === 'internal_user_viewer');
}

/** Roles above an ordinary user: only a proxy admin creates, promotes or mints keys for them. */
export function isPrivilegedRole(role: unknown): boolean {
  return role === 'proxy_admin' || role === 'proxy_admin_viewer';
}
