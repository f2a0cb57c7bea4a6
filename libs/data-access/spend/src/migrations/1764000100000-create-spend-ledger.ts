import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The append-only spend ledger (one row per usage event, keyed by its message id, so a redelivered
 * or duplicated event never charges twice) and the running totals per key, user, team,
 * organization, customer, tag and model group, updated in the same transaction as the insert.
 */
export class CreateSpendLedger1764000100000 implements MigrationInterface {
  name = 'CreateSpendLedger1764000100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS spend_ledger (
        message_id text PRIMARY KEY,
        request_id text NOT NULL,
        response_id text,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        call_type text NOT NULL,
        status text NOT NULL,
        error_code text,
        key_hash text,
        key_alias text,
        user_id text,
        team_id text,
        organization_id text,
        customer_id text,
        tags text[] NOT NULL DEFAULT '{}',
        model_group text NOT NULL,
        deployment_id text NOT NULL,
        provider text NOT NULL,
        upstream_model text NOT NULL,
        prompt_tokens integer NOT NULL,
        completion_tokens integer NOT NULL,
        cache_read_tokens integer NOT NULL,
        cache_write_tokens integer NOT NULL,
        reasoning_tokens integer NOT NULL,
        cost numeric(24, 12) NOT NULL,
        price_source text NOT NULL,
        price_missing boolean NOT NULL,
        usage_estimated boolean NOT NULL,
        latency_ms integer NOT NULL,
        time_to_first_token_ms integer,
        attempt integer NOT NULL DEFAULT 1
      )`);
    await queryRunner.query('CREATE INDEX IF NOT EXISTS spend_ledger_request_idx ON spend_ledger (request_id)');
    await queryRunner.query('CREATE INDEX IF NOT EXISTS spend_ledger_key_time_idx ON spend_ledger (key_hash, occurred_at)');
    await queryRunner.query('CREATE INDEX IF NOT EXISTS spend_ledger_time_idx ON spend_ledger (occurred_at)');
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS spend_totals (
        entity_type text NOT NULL,
        entity_id text NOT NULL,
        spend numeric(24, 12) NOT NULL DEFAULT 0,
        requests bigint NOT NULL DEFAULT 0,
        prompt_tokens bigint NOT NULL DEFAULT 0,
        completion_tokens bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (entity_type, entity_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS spend_totals');
    await queryRunner.query('DROP TABLE IF EXISTS spend_ledger');
  }
}
