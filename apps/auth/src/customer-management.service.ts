import type { CustomerEntity, JsonObject, Values } from '@switchboard/data-access-identity';
import type { ChangePublisher } from './change-publisher';
import type { IdentityStore } from './identity-store';
import type { CommandScope } from './key-management.service';
import { invalidField, notFound } from './management-error';
import { assignDefined, customerFields, mergeLimits, pageOf, parseFields, pickLimits, requiredId, requiredIds } from './request-fields';
import { customerView } from './views';

/**
 * LiteLLM's customer (end-user) routes. Customers are the `user` of a request (or its
 * `x-litellm-customer-id` header), so only proxy admins manage them and viewers read them (`authorization/route-policy.ts`).
 */
export class CustomerManagementService {
  constructor(
    private readonly store: IdentityStore,
    private readonly changes: ChangePublisher,
  ) {}

  async create(scope: CommandScope, body: Record<string, unknown>): Promise<JsonObject> {
    const fields = parseFields(customerFields, body);
    const userId = requiredId(fields.user_id, 'user_id');
    if (await this.store.tables.customers.find(userId)) throw invalidField('user_id', `Customer ${userId} already exists`);
    const row = await this.store.tables.customers.insert({
      user_id: userId,
      alias: fields.alias ?? null,
      blocked: fields.blocked ?? false,
      allowed_model_region: fields.allowed_model_region ?? null,
      default_model: fields.default_model ?? null,
      limits: pickLimits(fields),
      metadata: fields.metadata ?? {},
      created_by: scope.auditName,
      updated_by: scope.auditName,
    });
    this.changes.publish({ customerIds: [userId] });
    return customerView(row, 0);
  }

  async info(scope: CommandScope, query: Record<string, string>): Promise<JsonObject> {
    const userId = requiredId(query.end_user_id ?? query.user_id, 'end_user_id');
    const row = await this.store.tables.customers.find(userId);
    if (!row) throw notFound('Customer', userId, 'end_user_id');
    return customerView(row, await this.store.spendOf('customer', userId));
  }

  async update(scope: CommandScope, body: Record<string, unknown>): Promise<JsonObject> {
    const fields = parseFields(customerFields, body);
    const userId = requiredId(fields.user_id, 'user_id');
    const row = await this.store.tables.customers.find(userId);
    if (!row) throw notFound('Customer', userId, 'user_id');
    const patch: Values<CustomerEntity> = { updated_by: scope.auditName };
    assignDefined(patch, fields, ['alias', 'blocked', 'allowed_model_region', 'default_model', 'metadata']);
    const limits = pickLimits(fields);
    if (Object.keys(limits).length) patch.limits = mergeLimits(row, limits);
    const updated = await this.store.tables.customers.update(userId, patch);
    this.changes.publish({ customerIds: [userId] });
    return customerView(updated ?? row, await this.store.spendOf('customer', userId));
  }

  async delete(scope: CommandScope, body: Record<string, unknown>): Promise<JsonObject> {
    const userIds = requiredIds(body.user_ids, 'user_ids');
    for (const userId of userIds) if (!(await this.store.tables.customers.find(userId))) throw notFound('Customer', userId, 'user_ids');
    for (const userId of userIds) await this.store.tables.customers.delete(userId);
    this.changes.publish({ customerIds: userIds });
    return { deleted_customers: userIds };
  }

  async list(scope: CommandScope, query: Record<string, string>): Promise<JsonObject[]> {
    const { rows } = await this.store.tables.customers.list([], pageOf({ ...query, size: query.size ?? '100' }));
    return Promise.all(rows.map(async (row) => customerView(row, await this.store.spendOf('customer', String(row.user_id)))));
  }

  async setBlocked(scope: CommandScope, body: Record<string, unknown>, blocked: boolean): Promise<JsonObject> {
    const userIds = requiredIds(body.user_ids, 'user_ids');
    const rows: CustomerEntity[] = [];
    for (const userId of userIds) {
      const updated = await this.store.tables.customers.update(userId, { blocked, updated_by: scope.auditName });
      rows.push(updated ?? (await this.store.tables.customers.insert({ user_id: userId, blocked, created_by: scope.auditName, updated_by: scope.auditName })));
    }
    this.changes.publish({ customerIds: userIds });
    return { blocked_users: blocked ? userIds : [], unblocked_users: blocked ? [] : userIds };
  }
}
