import type { ManagementActor, UserRole } from '@switchboard/contracts';
import { userRoles } from '@switchboard/contracts';
import type { UserEntity } from '@switchboard/data-access-identity';
import { SwitchboardError } from '@switchboard/spec';
import type { IdentityStore } from '../identity-store';
import type { Principal } from './principal';
import { isPrivilegedRole } from './principal';

const none: ReadonlySet<string> = new Set();

const master: Principal = {
  auditName: 'master_key',
  role: 'proxy_admin',
  isMaster: true,
  hasUser: true,
  adminTeamIds: none,
  memberTeamIds: none,
  adminOrganizationIds: none,
  memberOrganizationIds: none,
};

interface Member {
  user_id?: string;
  role?: string;
  user_role?: string;
}

interface Memberships {
  adminTeamIds: Set<string>;
  memberTeamIds: Set<string>;
  adminOrganizationIds: Set<string>;
  memberOrganizationIds: Set<string>;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

/** Resolves the actor of a command from the database: its key, user, teams and organizations. */
export class PrincipalResolver {
  constructor(private readonly store: IdentityStore) {}

  async resolve(actor: ManagementActor): Promise<Principal> {
    if (actor.kind === 'master') return master;
    const key = await this.store.tables.keys.find(actor.keyHash);
    const expires = typeof key?.expires === 'string' ? Date.parse(key.expires) : undefined;
    if (!key || key.blocked === true || (expires !== undefined && expires < Date.now())) {
      throw new SwitchboardError('authentication', 'Invalid or revoked API key', { param: null });
    }
    const userId = text(key.user_id);
    const user = userId ? await this.store.tables.users.find(userId) : undefined;
    const keyTeam = text(key.team_id) ? await this.store.tables.teams.find(String(key.team_id)) : undefined;
    const base = { auditName: userId ?? `key:${actor.keyHash.slice(0, 12)}`, isMaster: false, keyHash: actor.keyHash, key, keyTeam };
    // A key whose user does not exist has no user: LiteLLM finds no user object and refuses management.
    if (!user || !userId) return { ...base, role: 'internal_user', hasUser: false, adminTeamIds: none, memberTeamIds: none, adminOrganizationIds: none, memberOrganizationIds: none };
    const role = roleOf(user);
    const memberships = await this.memberships(userId, user);
    const scopeTeamId = text(key.team_id) && !isPrivilegedRole(role) ? String(key.team_id) : undefined;
    return { ...base, role, hasUser: true, userId, user, scopeTeamId, ...(scopeTeamId ? narrow(memberships, scopeTeamId) : memberships) };
  }

  /** The powers a personal key of this user would carry (to refuse minting a key above its creator). */
  async forUser(userId: string): Promise<Principal | undefined> {
    const user = await this.store.tables.users.find(userId);
    if (!user) return undefined;
    return { auditName: userId, role: roleOf(user), isMaster: false, hasUser: true, userId, user, ...(await this.memberships(userId, user)) };
  }

  private async memberships(userId: string, user: UserEntity): Promise<Memberships> {
    const result: Memberships = { adminTeamIds: new Set(), memberTeamIds: new Set(), adminOrganizationIds: new Set(), memberOrganizationIds: new Set() };
    for (const team of await this.store.tables.teams.findBy([{ column: 'members_with_roles', op: 'contains', value: [{ user_id: userId }] }])) {
      result.memberTeamIds.add(String(team.team_id));
      const member = (team.members_with_roles as Member[]).find((candidate) => candidate.user_id === userId);
      if (member?.role === 'admin') result.adminTeamIds.add(String(team.team_id));
    }
    for (const organization of await this.store.tables.organizations.findBy([{ column: 'members', op: 'contains', value: [{ user_id: userId }] }])) {
      result.memberOrganizationIds.add(String(organization.organization_id));
      const member = (organization.members as Member[]).find((candidate) => candidate.user_id === userId);
      if (member?.user_role === 'org_admin') result.adminOrganizationIds.add(String(organization.organization_id));
    }
    if (typeof user.organization_id === 'string') result.memberOrganizationIds.add(user.organization_id);
    return result;
  }
}

function roleOf(user: UserEntity): UserRole {
  return userRoles.includes(user.user_role as UserRole) ? (user.user_role as UserRole) : 'internal_user';
}

/** A team key keeps only what its user holds in that team. */
function narrow(memberships: Memberships, teamId: string): Memberships {
  const only = (ids: Set<string>) => new Set([...ids].filter((id) => id === teamId));
  return { adminTeamIds: only(memberships.adminTeamIds), memberTeamIds: only(memberships.memberTeamIds), adminOrganizationIds: new Set(), memberOrganizationIds: new Set() };
}
