import type { ColumnKind, TableDefinition } from './table-repository';

const audit: Record<string, ColumnKind> = { created_at: 'timestamptz', created_by: 'text', updated_at: 'timestamptz', updated_by: 'text' };

/** The identity tables (migration `CreateIdentity1764000200000`), by the name the auth service uses. */
export const identityTables = {
  organizations: {
    table: 'identity_organizations',
    id: 'organization_id',
    columns: { organization_id: 'text', organization_alias: 'text', models: 'text[]', limits: 'jsonb', metadata: 'jsonb', members: 'jsonb', blocked: 'boolean', ...audit },
  },
  teams: {
    table: 'identity_teams',
    id: 'team_id',
    columns: {
      team_id: 'text',
      team_alias: 'text',
      organization_id: 'text',
      models: 'text[]',
      tags: 'text[]',
      limits: 'jsonb',
      metadata: 'jsonb',
      members_with_roles: 'jsonb',
      blocked: 'boolean',
      ...audit,
    },
  },
  users: {
    table: 'identity_users',
    id: 'user_id',
    columns: { user_id: 'text', user_email: 'text', user_alias: 'text', user_role: 'text', organization_id: 'text', models: 'text[]', limits: 'jsonb', metadata: 'jsonb', ...audit },
  },
  customers: {
    table: 'identity_customers',
    id: 'user_id',
    columns: { user_id: 'text', alias: 'text', blocked: 'boolean', allowed_model_region: 'text', default_model: 'text', limits: 'jsonb', metadata: 'jsonb', ...audit },
  },
  keys: {
    table: 'identity_keys',
    id: 'token',
    columns: {
      token: 'text',
      /** The key's stable id across regenerations; NULL: the token is the id. */
      key_id: 'text',
      key_name: 'text',
      key_alias: 'text',
      user_id: 'text',
      team_id: 'text',
      organization_id: 'text',
      models: 'text[]',
      allowed_routes: 'text[]',
      key_type: 'text',
      tags: 'text[]',
      limits: 'jsonb',
      metadata: 'jsonb',
      blocked: 'boolean',
      expires: 'timestamptz',
      ...audit,
    },
  },
  deletedKeys: {
    table: 'identity_deleted_keys',
    id: 'token',
    columns: { token: 'text', key_row: 'jsonb', deleted_at: 'timestamptz', deleted_by: 'text', litellm_changed_by: 'text' },
  },
  deprecatedKeys: {
    table: 'identity_deprecated_keys',
    id: 'token',
    columns: { token: 'text', active_token: 'text', revoke_at: 'timestamptz' },
  },
  models: {
    table: 'identity_models',
    id: 'model_id',
    columns: { model_id: 'text', model_name: 'text', litellm_params: 'jsonb', model_info: 'jsonb', ...audit },
  },
} as const satisfies Record<string, TableDefinition>;

export type IdentityTableName = keyof typeof identityTables;
