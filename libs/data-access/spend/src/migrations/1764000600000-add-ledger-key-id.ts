import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The key's stable id on each ledger row (`key_id`: its first hash, kept across regenerations), and
 * the indexes that answer "what did this key, user, team or customer spend since <instant>" when a
 * budget period's counter has to be seeded from the ledger (docs/ARCHITECTURE.md D16). Rows from
 * before are keyed by their hash, which is the id of every key not regenerated since.
 */
export class AddLedgerKeyId1764000600000 implements MigrationInterface {
  name = 'AddLedgerKeyId1764000600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE spend_ledger ADD COLUMN IF NOT EXISTS key_id text');
    await queryRunner.query('UPDATE spend_ledger SET key_id = key_hash WHERE key_id IS NULL AND key_hash IS NOT NULL');
    await queryRunner.query('CREATE INDEX IF NOT EXISTS spend_ledger_key_id_time_idx ON spend_ledger (key_id, occurred_at)');
    await queryRunner.query('CREATE INDEX IF NOT EXISTS spend_ledger_user_time_idx ON spend_ledger (user_id, occurred_at) WHERE user_id IS NOT NULL');
    await queryRunner.query('CREATE INDEX IF NOT EXISTS spend_ledger_team_time_idx ON spend_ledger (team_id, occurred_at) WHERE team_id IS NOT NULL');
    await queryRunner.query('CREATE INDEX IF NOT EXISTS spend_ledger_customer_time_idx ON spend_ledger (customer_id, occurred_at) WHERE customer_id IS NOT NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const index of ['spend_ledger_customer_time_idx', 'spend_ledger_team_time_idx', 'spend_ledger_user_time_idx', 'spend_ledger_key_id_time_idx']) {
      await queryRunner.query(`DROP INDEX IF EXISTS ${index}`);
    }
    await queryRunner.query('ALTER TABLE spend_ledger DROP COLUMN IF EXISTS key_id');
  }
}
