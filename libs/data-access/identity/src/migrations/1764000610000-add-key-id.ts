import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A key's stable id (`key_id`): the hash it was first created with, kept when the key is
 * regenerated, so its spend, budget periods and limits follow it. NULL means the key was never
 * regenerated and its `token` is its id (every key created before this migration).
 */
export class AddKeyId1764000610000 implements MigrationInterface {
  name = 'AddKeyId1764000610000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE identity_keys ADD COLUMN IF NOT EXISTS key_id text');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE identity_keys DROP COLUMN IF EXISTS key_id');
  }
}
