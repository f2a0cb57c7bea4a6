import type { MigrationInterface, QueryRunner } from 'typeorm';

const audit = `
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text`;

/**
 * The identity tables owned by the auth service: organizations, teams, users, customers (end
 * users), virtual keys (SHA-256 hashes only), deleted keys (archived with who deleted them),
 * deprecated keys (the old hash of a regenerated key, valid until its grace period ends) and
 * deployments stored in the database (credentials encrypted). LiteLLM's budget and limit fields
 * live in one `limits` JSON column per object, under LiteLLM's names.
 */
export class CreateIdentity1764000200000 implements MigrationInterface {
  name = 'CreateIdentity1764000200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS identity_organizations (
        organization_id text PRIMARY KEY,
        organization_alias text,
        models text[] NOT NULL DEFAULT '{}',
        limits jsonb NOT NULL DEFAULT '{}',
        metadata jsonb NOT NULL DEFAULT '{}',
        members jsonb NOT NULL DEFAULT '[]',
        blocked boolean NOT NULL DEFAULT false,${audit}
      )`);
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS identity_teams (
        team_id text PRIMARY KEY,
        team_alias text,
        organization_id text REFERENCES identity_organizations (organization_id) ON DELETE SET NULL,
        models text[] NOT NULL DEFAULT '{}',
        tags text[] NOT NULL DEFAULT '{}',
        limits jsonb NOT NULL DEFAULT '{}',
        metadata jsonb NOT NULL DEFAULT '{}',
        members_with_roles jsonb NOT NULL DEFAULT '[]',
        blocked boolean NOT NULL DEFAULT false,${audit}
      )`);
    await queryRunner.query('CREATE INDEX IF NOT EXISTS identity_teams_organization_idx ON identity_teams (organization_id)');
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS identity_users (
        user_id text PRIMARY KEY,
        user_email text,
        user_alias text,
        user_role text NOT NULL DEFAULT 'internal_user',
        organization_id text REFERENCES identity_organizations (organization_id) ON DELETE SET NULL,
        models text[] NOT NULL DEFAULT '{}',
        limits jsonb NOT NULL DEFAULT '{}',
        metadata jsonb NOT NULL DEFAULT '{}',${audit}
      )`);
    await queryRunner.query('CREATE UNIQUE INDEX IF NOT EXISTS identity_users_email_idx ON identity_users (lower(user_email)) WHERE user_email IS NOT NULL');
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS identity_customers (
        user_id text PRIMARY KEY,
        alias text,
        blocked boolean NOT NULL DEFAULT false,
        allowed_model_region text,
        default_model text,
        limits jsonb NOT NULL DEFAULT '{}',
        metadata jsonb NOT NULL DEFAULT '{}',${audit}
      )`);
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS identity_keys (
        token text PRIMARY KEY,
        key_name text NOT NULL,
        key_alias text,
        user_id text,
        team_id text,
        organization_id text,
        models text[] NOT NULL DEFAULT '{}',
        allowed_routes text[] NOT NULL DEFAULT '{}',
        key_type text,
        tags text[] NOT NULL DEFAULT '{}',
        limits jsonb NOT NULL DEFAULT '{}',
        metadata jsonb NOT NULL DEFAULT '{}',
        blocked boolean NOT NULL DEFAULT false,
        expires timestamptz,${audit}
      )`);
    await queryRunner.query('CREATE INDEX IF NOT EXISTS identity_keys_user_team_idx ON identity_keys (user_id, team_id)');
    await queryRunner.query('CREATE INDEX IF NOT EXISTS identity_keys_team_idx ON identity_keys (team_id)');
    await queryRunner.query('CREATE UNIQUE INDEX IF NOT EXISTS identity_keys_alias_idx ON identity_keys (key_alias) WHERE key_alias IS NOT NULL');
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS identity_deleted_keys (
        token text NOT NULL,
        key_row jsonb NOT NULL,
        deleted_at timestamptz NOT NULL DEFAULT now(),
        deleted_by text,
        litellm_changed_by text
      )`);
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS identity_deprecated_keys (
        token text PRIMARY KEY,
        active_token text NOT NULL,
        revoke_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS identity_models (
        model_id text PRIMARY KEY,
        model_name text NOT NULL,
        litellm_params jsonb NOT NULL,
        model_info jsonb NOT NULL DEFAULT '{}',${audit}
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['identity_models', 'identity_deprecated_keys', 'identity_deleted_keys', 'identity_keys', 'identity_customers', 'identity_users', 'identity_teams', 'identity_organizations']) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
