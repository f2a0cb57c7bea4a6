import type { Pool } from 'pg';
import type { StoredResponse } from './stored-response';

interface ResponseRow {
  id: string;
  owner: string;
  deployment_id: string;
  model_group: string;
  previous_response_id: string | null;
  status: string;
  input_items: unknown[];
  messages: unknown[];
  response: Record<string, unknown>;
}

/** Postgres access to stored responses (parameterised queries only). */
export class ResponseRepository {
  constructor(private readonly pool: Pool) {}

  async save(stored: StoredResponse): Promise<void> {
    await this.pool.query(
      `INSERT INTO responses (id, owner, deployment_id, model_group, previous_response_id, status, input_items, messages, response)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (id) DO NOTHING`,
      [
        stored.id,
        stored.owner,
        stored.deploymentId,
        stored.modelGroup,
        stored.previousResponseId,
        stored.status,
        JSON.stringify(stored.inputItems),
        JSON.stringify(stored.messages),
        JSON.stringify(stored.response),
      ],
    );
  }

  async find(id: string): Promise<StoredResponse | undefined> {
    const result = await this.pool.query<ResponseRow>('SELECT * FROM responses WHERE id = $1 AND deleted_at IS NULL', [id]);
    const row = result.rows[0];
    if (!row) return undefined;
    return {
      id: row.id,
      owner: row.owner,
      deploymentId: row.deployment_id,
      modelGroup: row.model_group,
      previousResponseId: row.previous_response_id,
      status: row.status,
      inputItems: row.input_items,
      messages: row.messages,
      response: row.response,
    };
  }

  async delete(id: string, owner: string): Promise<boolean> {
    const result = await this.pool.query('UPDATE responses SET deleted_at = now() WHERE id = $1 AND owner = $2 AND deleted_at IS NULL', [id, owner]);
    return (result.rowCount ?? 0) > 0;
  }
}
