import { randomUUID } from 'node:crypto';
import type { IdentityStore } from './identity-store';
import type { CommandScope } from './key-management.service';
import { invalidField } from './management-error';

/** Finds the user a membership names (by id or email), creating an `internal_user` when it is new, as LiteLLM does. */
export class MemberRegistry {
  constructor(private readonly store: IdentityStore) {}

  async ensureUser(scope: CommandScope, member: { user_id?: string; user_email?: string }, organizationId: string | undefined): Promise<{ user_id: string; user_email?: string | null }> {
    const email = member.user_email?.toLowerCase();
    if (!member.user_id && !email) throw invalidField('member.user_id', "A member needs 'user_id' or 'user_email'");
    const found = member.user_id
      ? await this.store.tables.users.find(member.user_id)
      : (await this.store.tables.users.findBy([{ column: 'user_email', op: 'eq', value: email }]))[0];
    if (found) return { user_id: String(found.user_id), user_email: (found.user_email as string | null) ?? null };
    const created = await this.store.tables.users.insert({
      user_id: member.user_id ?? randomUUID(),
      user_email: email ?? null,
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
