import type { UserRole } from '@switchboard/contracts';

/**
 * Who issues a management command, with what they administer, resolved from the database on
 * every command (never trusted from the gateway beyond the key hash).
 */
export interface Principal {
  /** For the audit columns: `master_key`, or the key's user id / hash prefix. */
  auditName: string;
  role: UserRole;
  isMaster: boolean;
  keyHash?: string;
  userId?: string;
  /** Teams whose `admin` the caller is, and teams it belongs to in any role. */
  adminTeamIds: ReadonlySet<string>;
  memberTeamIds: ReadonlySet<string>;
  /** Organizations whose `org_admin` the caller is, and organizations it belongs to. */
  adminOrganizationIds: ReadonlySet<string>;
  memberOrganizationIds: ReadonlySet<string>;
}

export function isProxyAdmin(principal: Principal): boolean {
  return principal.isMaster || principal.role === 'proxy_admin';
}

/** Proxy admins and their viewers read everything. */
export function readsEverything(principal: Principal): boolean {
  return isProxyAdmin(principal) || principal.role === 'proxy_admin_viewer';
}

/** Viewers (`proxy_admin_viewer`, `internal_user_viewer`) never change anything. */
export function isViewer(principal: Principal): boolean {
  return !principal.isMaster && (principal.role === 'proxy_admin_viewer' || principal.role === 'internal_user_viewer');
}
