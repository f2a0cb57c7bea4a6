import type { CustomerStatusReply, IdentityLimits, KeyIdentity, UserRole, VerifyKeyReply } from '@switchboard/contracts';
import { parseCallerLogging, userRoles } from '@switchboard/contracts';
import type { CustomerEntity, KeyEntity, TeamEntity, UserEntity } from '@switchboard/data-access-identity';
import { materializeBudgetSchedule } from '@switchboard/identity';
import type { IdentityStore } from './identity-store';

const text = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);
const list = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);
/** The limits as the gateway admits with them: budget period anchors written out (the gateway does not know when the row was created). */
const limitsOf = (row: KeyEntity | TeamEntity | UserEntity | CustomerEntity): IdentityLimits => materializeBudgetSchedule((row.limits as IdentityLimits | null) ?? {}, row.created_at);

/**
 * Answers `verify_key` for the gateways' caches: the key's status and what it may do. A
 * regenerated key's old hash resolves to the new key until its grace period ends.
 */
export class KeyVerificationService {
  constructor(private readonly store: IdentityStore) {}

  async verify(keyHash: string): Promise<VerifyKeyReply> {
    let key = await this.store.tables.keys.find(keyHash);
    let revokeAt: string | undefined;
    if (!key) {
      const deprecated = await this.store.tables.deprecatedKeys.find(keyHash);
      const revokeAtMs = deprecated ? Date.parse(String(deprecated.revoke_at)) : NaN;
      if (deprecated && revokeAtMs > Date.now()) {
        key = await this.store.tables.keys.find(String(deprecated.active_token));
        // The gateways' caches refuse this value at that instant, not a cache TTL later.
        revokeAt = new Date(revokeAtMs).toISOString();
      }
    }
    if (!key) return { status: 'not_found' };
    if (key.blocked === true) return { status: 'blocked' };
    const expires = text(key.expires);
    if (expires && Date.parse(expires) <= Date.now()) return { status: 'expired' };
    // A regenerated key's old value within its grace period acts as the new key: same spend, budgets and limits.
    const activeHash = String(key.token);
    // The spend is the budget service's answer, asked while the key's team and user are read.
    const spend = this.store.keySpend(text(key.key_id) ?? activeHash);
    const team = text(key.team_id) ? await this.store.tables.teams.find(String(key.team_id)) : undefined;
    if (team?.blocked === true) return { status: 'team_blocked' };
    const user = text(key.user_id) ? await this.store.tables.users.find(String(key.user_id)) : undefined;
    const identity = { ...this.identity(activeHash, key, team, user), spend: await spend };
    return { status: 'valid', identity: revokeAt ? { ...identity, revokeAt } : identity };
  }

  async customerStatus(customerId: string): Promise<CustomerStatusReply> {
    const customer = await this.store.tables.customers.find(customerId);
    if (!customer) return { found: false };
    return { found: true, blocked: customer.blocked === true, limits: limitsOf(customer) };
  }

  private identity(keyHash: string, key: KeyEntity, team: TeamEntity | undefined, user: UserEntity | undefined): KeyIdentity {
    const role = userRoles.includes(user?.user_role as UserRole) ? (user?.user_role as UserRole) : 'internal_user';
    return {
      keyHash,
      keyId: text(key.key_id) ?? keyHash,
      keyName: String(key.key_name),
      keyAlias: text(key.key_alias),
      userId: text(key.user_id),
      teamId: text(key.team_id),
      organizationId: text(key.organization_id) ?? text(team?.organization_id),
      userRole: role,
      keyModels: list(key.models),
      teamModels: list(team?.models),
      // A team key follows the team's models; a personal key its user's.
      userModels: team ? [] : list(user?.models),
      allowedRoutes: list(key.allowed_routes),
      keyType: text(key.key_type),
      tags: list(key.tags),
      metadata: (key.metadata as Record<string, unknown>) ?? {},
      teamLogging: team ? parseCallerLogging((team.metadata as Record<string, unknown> | null)?.logging) : undefined,
      expiresAt: text(key.expires),
      limits: limitsOf(key),
      teamLimits: team ? limitsOf(team) : undefined,
      userLimits: user ? limitsOf(user) : undefined,
    };
  }
}
