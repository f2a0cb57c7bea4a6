import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Daily aggregates per key, user, team, organization, customer, tag and model (UTC days), kept
 * in the ledger's transaction so they always agree with it and outlive ledger retention.
 */
export class CreateSpendDaily1764000300000 implements MigrationInterface {
  name = 'CreateSpendDaily1764000300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS spend_daily (
        day date NOT NULL,
        entity_type text NOT NULL,
        entity_id text NOT NULL,
        model_group text NOT NULL,
        spend numeric(24, 12) NOT NULL DEFAULT 0,
        requests bigint NOT NULL DEFAULT 0,
        successful_requests bigint NOT NULL DEFAULT 0,
        failed_requests bigint NOT NULL DEFAULT 0,
        prompt_tokens bigint NOT NULL DEFAULT 0,
        completion_tokens bigint NOT NULL DEFAULT 0,
        cache_read_tokens bigint NOT NULL DEFAULT 0,
        cache_write_tokens bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (day, entity_type, entity_id, model_group)
      )`);
    await queryRunner.query('CREATE INDEX IF NOT EXISTS spend_daily_entity_idx ON spend_daily (entity_type, entity_id, day)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS spend_daily');
  }
}
