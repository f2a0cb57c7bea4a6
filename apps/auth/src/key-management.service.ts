import type { IdentityLimits } from '@switchboard/contracts';
import { generateApiKey, hashApiKey, isKeyHash, keyDisplayName, materializeBudgetSchedule, parseDuration } from '@switchboard/identity';
import type { JsonObject, KeyEntity, TeamEntity, Values } from '@switchboard/data-access-identity';
import { accessRules } from './authorization/access-rules';
import type { KeyPolicy } from './authorization/key-policy';
import type { Principal } from './authorization/principal';
import { readsEverything } from './authorization/principal';
import type { ChangePublisher } from './change-publisher';
import { IdentityStore } from './identity-store';
import { forbidden, invalidField, notFound } from './management-error';
import { assignDefined, keyFields, keyUpdateFields, mergeLimits, pageOf, parseFields, pickLimits, requiredIds } from './request-fields';
import type { KeyFields } from './request-fields';
import { keyView } from './views';

export interface CommandScope {
  principal: Principal;
  /** Recorded in `created_by` / `updated_by` / `deleted_by`: `litellm-changed-by` when sent, else the caller. */
  auditName: string;
  changedBy?: string;
}

/** LiteLLM's key routes: generate, update, delete, info, list, regenerate, block, unblock. */
export class KeyManagementService {
  constructor(
    private readonly store: IdentityStore,
    private readonly changes: ChangePublisher,
    private readonly policy: KeyPolicy,
    private readonly defaultGracePeriod: string | undefined,
  ) {}

  async generate(scope: CommandScope, body: Record<string, unknown>): Promise<JsonObject> {
    const fields = parseFields(keyFields, body);
    const plan = await this.policy.planGenerate(scope.principal, fields);
    const key = fields.key ?? generateApiKey();
    const token = hashApiKey(key);
    if (await this.store.tables.keys.find(token)) throw invalidField('key', 'This key already exists');
    if (fields.key_alias && (await this.store.tables.keys.findBy([{ column: 'key_alias', op: 'eq', value: fields.key_alias }])).length) {
      throw invalidField('key_alias', `A key with key_alias '${fields.key_alias}' already exists`);
    }
    const row = await this.store.tables.keys.insert({
      token,
      key_name: keyDisplayName(key),
      key_alias: fields.key_alias ?? null,
      user_id: plan.userId,
      team_id: plan.teamId,
      organization_id: plan.organizationId,
      models: plan.models,
      allowed_routes: plan.allowedRoutes,
      key_type: plan.keyType,
      tags: fields.tags ?? [],
      limits: plan.limits,
      metadata: fields.metadata ?? {},
      blocked: fields.blocked ?? false,
      expires: plan.expires,
      created_by: scope.auditName,
      updated_by: scope.auditName,
    });
    this.changes.publish({ keyHashes: [token] });
    return { ...keyView(row, 0), key, token };
  }

  /** The key `/user/new` creates for its new user (the user route has authorized it): the user's models, no limits of its own. */
  async generateForNewUser(scope: CommandScope, userId: string, models: string[]): Promise<JsonObject> {
    const key = generateApiKey();
    const token = hashApiKey(key);
    const row = await this.store.tables.keys.insert({
      token,
      key_name: keyDisplayName(key),
      user_id: userId,
      models,
      allowed_routes: [],
      tags: [],
      limits: {},
      metadata: {},
      blocked: false,
      created_by: scope.auditName,
      updated_by: scope.auditName,
    });
    this.changes.publish({ keyHashes: [token] });
    return { ...keyView(row, 0), key, token };
  }

  async update(scope: CommandScope, body: Record<string, unknown>): Promise<JsonObject> {
    const fields = parseFields(keyUpdateFields, body);
    const { row, team } = await this.findWritable(scope.principal, body);
    await this.policy.checkUpdate(scope.principal, row, team, fields);
    const patch: Values<KeyEntity> = { updated_by: scope.auditName };
    assignDefined(patch, fields, ['key_alias', 'user_id', 'team_id', 'organization_id', 'models', 'allowed_routes', 'key_type', 'tags', 'metadata', 'blocked']);
    if (fields.duration !== undefined) patch.expires = fields.duration ? new Date(Date.now() + parseDuration(fields.duration)).toISOString() : null;
    const limits = pickLimits(fields);
    if (Object.keys(limits).length) patch.limits = mergeLimits(row, limits);
    const updated = await this.store.tables.keys.update(String(row.token), patch);
    this.changes.publish({ keyHashes: [String(row.token)] });
    return keyView(updated ?? row, await this.store.spendOf('key', String(row.token)));
  }

  async delete(scope: CommandScope, body: Record<string, unknown>): Promise<JsonObject> {
    const byAlias = body.key_aliases !== undefined;
    const identifiers = byAlias ? requiredIds(body.key_aliases, 'key_aliases') : requiredIds(body.keys, 'keys');
    const rows: KeyEntity[] = [];
    for (const identifier of identifiers) {
      const { row } = await this.findWritable(scope.principal, byAlias ? { key_alias: identifier } : { key: identifier });
      rows.push(row);
    }
    await this.store.transaction(async (tables) => {
      for (const row of rows) {
        await IdentityStore.archiveKey(tables, row, scope.auditName, scope.changedBy);
        await tables.keys.delete(String(row.token));
      }
    });
    this.changes.publish({ keyHashes: rows.map((row) => String(row.token)) });
    return { deleted_keys: identifiers };
  }

  async info(scope: CommandScope, query: Record<string, string>): Promise<JsonObject> {
    const identifier = query.key ?? query.key_hash;
    const hash = identifier ? (isKeyHash(identifier) ? identifier : hashApiKey(identifier)) : scope.principal.keyHash;
    if (!hash) throw invalidField('key', "'key' is required when calling with the master key");
    const row = await this.store.tables.keys.find(hash);
    const team = row?.team_id ? await this.store.tables.teams.find(String(row.team_id)) : undefined;
    if (!row || !accessRules.canReadKey(scope.principal, row, team)) throw notFound('Key', undefined, 'key');
    return { key: identifier ?? hash, info: keyView(row, await this.store.spendOf('key', hash)) };
  }

  async list(scope: CommandScope, query: Record<string, string>): Promise<JsonObject> {
    const { principal } = scope;
    const page = pageOf(query);
    const filters: Array<Parameters<typeof this.store.tables.keys.list>[0][number]> = [];
    for (const column of ['user_id', 'team_id', 'organization_id', 'key_alias'] as const) {
      if (query[column]) filters.push({ column, op: 'eq', value: query[column] });
    }
    if (query.key_hash) filters.push({ column: 'token', op: 'eq', value: query.key_hash });
    if (!readsEverything(principal)) {
      const teamId = query.team_id;
      const team = teamId ? await this.store.tables.teams.find(teamId) : undefined;
      const administersTeam = team !== undefined && (accessRules.canWriteTeam(principal, team) || principal.adminTeamIds.has(String(team.team_id)));
      const administersOrganization = query.organization_id !== undefined && principal.adminOrganizationIds.has(query.organization_id);
      if (!administersTeam && !administersOrganization) {
        // Everyone else sees only their own keys (LiteLLM forces `user_id` to the caller).
        if (query.user_id && query.user_id !== principal.userId) throw forbidden('You can only list your own keys', 'user_id');
        filters.push(principal.userId ? { column: 'user_id', op: 'eq', value: principal.userId } : { column: 'token', op: 'eq', value: principal.keyHash ?? '' });
        // A team key sees only its user's keys of that team.
        if (principal.scopeTeamId) filters.push({ column: 'team_id', op: 'eq', value: principal.scopeTeamId });
      }
    }
    const { rows, total } = await this.store.tables.keys.list(filters, page);
    const full = query.return_full_object === 'true';
    return {
      keys: full ? await Promise.all(rows.map(async (row) => keyView(row, await this.store.spendOf('key', String(row.token))))) : rows.map((row) => row.token),
      total_count: total,
      current_page: page.page,
      total_pages: Math.ceil(total / page.size),
    };
  }

  async regenerate(scope: CommandScope, body: Record<string, unknown>, pathKey: string | undefined): Promise<JsonObject> {
    const { row } = await this.findWritable(scope.principal, pathKey ? { key: pathKey } : body);
    const newKey = typeof body.new_key === 'string' ? body.new_key : generateApiKey();
    if (!newKey.startsWith('sk-')) throw invalidField('new_key', "'new_key' must start with sk-");
    const gracePeriod = typeof body.grace_period === 'string' ? body.grace_period : this.defaultGracePeriod;
    let graceMs = 0;
    if (gracePeriod) {
      try {
        graceMs = parseDuration(gracePeriod);
      } catch {
        throw invalidField('grace_period', "'grace_period' must be a duration like 30m, 24h or 7d");
      }
    }
    const token = hashApiKey(newKey);
    const oldToken = String(row.token);
    const { token: _old, created_at: _created, updated_at: _updated, ...kept } = row;
    // The new value is the same key: its stable id and budget period carry over, so its spend and budget do.
    const sameKey = { key_id: row.key_id ?? oldToken, limits: materializeBudgetSchedule((row.limits as IdentityLimits | null) ?? undefined, row.created_at) };
    const created = await this.store.transaction(async (tables) => {
      await tables.keys.delete(oldToken);
      const inserted = await tables.keys.insert({ ...kept, ...sameKey, token, key_name: keyDisplayName(newKey), updated_by: scope.auditName });
      if (graceMs > 0) {
        await tables.deprecatedKeys.insert({ token: oldToken, active_token: token, revoke_at: new Date(Date.now() + graceMs).toISOString() });
      } else {
        await IdentityStore.archiveKey(tables, row, scope.auditName, scope.changedBy);
      }
      return inserted;
    });
    this.changes.publish({ keyHashes: [oldToken, token] });
    return { ...keyView(created, await this.store.spendOf('key', token)), key: newKey, token };
  }

  async setBlocked(scope: CommandScope, body: Record<string, unknown>, blocked: boolean): Promise<JsonObject> {
    const { row, team } = await this.findWritable(scope.principal, body);
    this.policy.checkBlock(scope.principal, row, team, blocked);
    const updated = await this.store.tables.keys.update(String(row.token), { blocked, updated_by: scope.auditName });
    this.changes.publish({ keyHashes: [String(row.token)] });
    return keyView(updated ?? row, await this.store.spendOf('key', String(row.token)));
  }

  /** The key a body names (`key`, plaintext or hash, or `key_alias`), if the caller may change it. */
  private async findWritable(principal: Principal, body: Record<string, unknown>): Promise<{ row: KeyEntity; team: TeamEntity | undefined }> {
    let row: KeyEntity | undefined;
    if (typeof body.key === 'string' && body.key) {
      row = await this.store.tables.keys.find(isKeyHash(body.key) ? body.key : hashApiKey(body.key));
    } else if (typeof body.key_alias === 'string' && body.key_alias) {
      [row] = await this.store.tables.keys.findBy([{ column: 'key_alias', op: 'eq', value: body.key_alias }]);
    } else {
      throw invalidField('key', "'key' (or 'key_alias') is required");
    }
    const team = row?.team_id ? await this.store.tables.teams.find(String(row.team_id)) : undefined;
    if (!row || !accessRules.canReadKey(principal, row, team)) throw notFound('Key', undefined, 'key');
    if (!accessRules.canWriteKey(principal, row, team)) throw forbidden('You cannot change this key');
    await this.policy.checkHolderWithinReach(principal, row, team);
    return { row, team };
  }
}

export type { KeyFields };
