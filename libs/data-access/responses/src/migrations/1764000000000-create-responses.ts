import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Stored Responses API responses: the conversation state behind `previous_response_id`. */
export class CreateResponses1764000000000 implements MigrationInterface {
  name = 'CreateResponses1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS responses (
        id text PRIMARY KEY,
        owner text NOT NULL,
        deployment_id text NOT NULL,
        model_group text NOT NULL,
        previous_response_id text,
        status text NOT NULL,
        input_items jsonb NOT NULL,
        messages jsonb NOT NULL,
        response jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      )`);
    await queryRunner.query('CREATE INDEX IF NOT EXISTS responses_owner_created_idx ON responses (owner, created_at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS responses');
  }
}
