import { randomUUID } from 'node:crypto';
import type { UserEntity } from '@switchboard/data-access-identity';
import type { IdentityStore } from './identity-store';
import type { CommandScope } from './key-management.service';
import { invalidField } from './management-error';

interface MemberReference {
  user_id?: string;
  user_email?: string;
}

/** Finds the user a membership names (by id or email), creating an `internal_user` when it is new, as LiteLLM does. */
export class MemberRegistry {
  constructor(private readonly store: IdentityStore) {}

  /** The existing user a membership names, if any (the membership policy decides before anything is written). */
  async find(member: MemberReference): Promise<UserEntity | undefined> {
    const email = member.user_email?.toLowerCase();
    if (!member.user_id && !email) throw invalidField('member.user_id', "A member needs 'user_id' or 'user_email'");
    if (member.user_id) return this.store.tables.users.find(member.user_id);
    return (await this.store.tables.users.findBy([{ column: 'user_email', op: 'eq', value: email }]))[0];
  }

  async ensureUser(scope: CommandScope, member: MemberReference, organizationId: string | undefined, known?: UserEntity): Promise<{ user_id: string; user_email?: string | null }> {
    const found = known ?? (await this.find(member));
    if (found) return { user_id: String(found.user_id), user_email: (found.user_email as string | null) ?? null };
    const created = await this.store.tables.users.insert({
      user_id: member.user_id ?? randomUUID(),
      user_email: member.user_email?.toLowerCase() ?? null,
      user_role: 'internal_user',
      organization_id: organizationId ?? null,
      models: [],
      limits: {},
      metadata: {},
      created_by: scope.auditName,
      updated_by: scope.auditName,
    });
    return { user_id: String(created.user_id), user_email: (created.user_email as string | null) ?? null };
  }
}
