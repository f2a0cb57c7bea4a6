import type { ManagementActor, UserRole } from '@switchboard/contracts';
import { userRoles } from '@switchboard/contracts';
import { SwitchboardError } from '@switchboard/spec';
import type { IdentityStore } from './identity-store';
import type { Principal } from './principal';

const master: Principal = {
  auditName: 'master_key',
  role: 'proxy_admin',
  isMaster: true,
  adminTeamIds: new Set(),
  memberTeamIds: new Set(),
  adminOrganizationIds: new Set(),
  memberOrganizationIds: new Set(),
};

interface Member {
  user_id?: string;
  role?: string;
  user_role?: string;
}

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
    const userId = typeof key.user_id === 'string' ? key.user_id : undefined;
    const user = userId ? await this.store.tables.users.find(userId) : undefined;
    const role = userRoles.includes(user?.user_role as UserRole) ? (user?.user_role as UserRole) : 'internal_user';
    const adminTeamIds = new Set<string>();
    const memberTeamIds = new Set<string>();
    const adminOrganizationIds = new Set<string>();
    const memberOrganizationIds = new Set<string>();
    if (userId) {
      for (const team of await this.store.tables.teams.findBy([{ column: 'members_with_roles', op: 'contains', value: [{ user_id: userId }] }])) {
        memberTeamIds.add(String(team.team_id));
        const member = (team.members_with_roles as Member[]).find((candidate) => candidate.user_id === userId);
        if (member?.role === 'admin') adminTeamIds.add(String(team.team_id));
      }
      for (const organization of await this.store.tables.organizations.findBy([{ column: 'members', op: 'contains', value: [{ user_id: userId }] }])) {
        memberOrganizationIds.add(String(organization.organization_id));
        const member = (organization.members as Member[]).find((candidate) => candidate.user_id === userId);
        if (member?.user_role === 'org_admin') adminOrganizationIds.add(String(organization.organization_id));
      }
      if (typeof user?.organization_id === 'string') memberOrganizationIds.add(user.organization_id);
    }
    return { auditName: userId ?? `key:${actor.keyHash.slice(0, 12)}`, role, isMaster: false, keyHash: actor.keyHash, userId, adminTeamIds, memberTeamIds, adminOrganizationIds, memberOrganizationIds };
  }
}
