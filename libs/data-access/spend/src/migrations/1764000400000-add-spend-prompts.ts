import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The request's messages and the answer's text, kept only with `store_prompts_in_spend_logs` (redacted). */
export class AddSpendPrompts1764000400000 implements MigrationInterface {
  name = 'AddSpendPrompts1764000400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE spend_ledger ADD COLUMN IF NOT EXISTS messages jsonb, ADD COLUMN IF NOT EXISTS response text');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE spend_ledger DROP COLUMN IF EXISTS messages, DROP COLUMN IF EXISTS response');
  }
}
