import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `cache_hit` on each ledger row: the gateway answered from its response cache (no upstream call,
 * cost 0). LiteLLM's spend logs carry the same flag; `cache_key` names the entry.
 */
export class AddLedgerCacheHit1764002000000 implements MigrationInterface {
  name = 'AddLedgerCacheHit1764002000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE spend_ledger ADD COLUMN IF NOT EXISTS cache_hit boolean NOT NULL DEFAULT false');
    await queryRunner.query('ALTER TABLE spend_ledger ADD COLUMN IF NOT EXISTS cache_key text');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE spend_ledger DROP COLUMN IF EXISTS cache_key');
    await queryRunner.query('ALTER TABLE spend_ledger DROP COLUMN IF EXISTS cache_hit');
  }
}
