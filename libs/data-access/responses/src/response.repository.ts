import { IsNull } from 'typeorm';
import type { DataSource, QueryDeepPartialEntity, Repository } from 'typeorm';
import { StoredResponseEntity } from './stored-response.entity';
import type { StoredResponse } from './stored-response';

/** Stored responses through TypeORM: save once, find what is not deleted, delete only for the owner. */
export class ResponseRepository {
  private readonly responses: Repository<StoredResponseEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.responses = dataSource.getRepository(StoredResponseEntity);
  }

  /** Saves a response; one already stored under its id is kept as it is (ids are unique per request). */
  async save(stored: StoredResponse): Promise<void> {
    // JSON columns hold any JSON: TypeORM's deep-partial type cannot follow `unknown`, the entity's own type can.
    const values: StoredResponseEntity = Object.assign(new StoredResponseEntity(), {
      id: stored.id,
      owner: stored.owner,
      deploymentId: stored.deploymentId,
      modelGroup: stored.modelGroup,
      previousResponseId: stored.previousResponseId,
      status: stored.status,
      inputItems: stored.inputItems,
      messages: stored.messages,
      response: stored.response,
      deletedAt: null,
    });
    await this.responses
      .createQueryBuilder()
      .insert()
      .values(values as QueryDeepPartialEntity<StoredResponseEntity>)
      .orIgnore()
      .updateEntity(false)
      .execute();
  }

  async find(id: string): Promise<StoredResponse | undefined> {
    const row = await this.responses.findOneBy({ id, deletedAt: IsNull() });
    if (!row) return undefined;
    return {
      id: row.id,
      owner: row.owner,
      deploymentId: row.deploymentId,
      modelGroup: row.modelGroup,
      previousResponseId: row.previousResponseId,
      status: row.status,
      inputItems: row.inputItems,
      messages: row.messages,
      response: row.response,
    };
  }

  async delete(id: string, owner: string): Promise<boolean> {
    const result = await this.responses.update({ id, owner, deletedAt: IsNull() }, { deletedAt: () => 'now()' });
    return (result.affected ?? 0) > 0;
  }

  /** Whether Postgres answers (the gateway's readiness probe). */
  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }

  /** Closes the connections (at shutdown). */
  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
