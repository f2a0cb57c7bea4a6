import type { EntityManager, EntityTarget, ObjectLiteral, QueryDeepPartialEntity, Repository, SelectQueryBuilder } from 'typeorm';

/** What a query may ask of a column; the column is always one of the entity's (checked at run time too). */
export type Filter<E> =
  | { column: keyof E & string; op: 'eq'; value: unknown }
  | { column: keyof E & string; op: 'in'; value: readonly string[] }
  /** A jsonb column contains this JSON (e.g. a member of `members_with_roles`). */
  | { column: keyof E & string; op: 'contains'; value: unknown }
  /** A text[] column holds this value. */
  | { column: keyof E & string; op: 'has'; value: string };

/** A page of rows; `page` counts from 1. */
export interface Page {
  page: number;
  size: number;
}

/** The columns a write sets; absent ones keep their value (update) or take their default (insert). */
export type Values<E> = { [K in keyof E]?: E[K] | null };

/**
 * Typed access to one identity table (TypeORM): insert, update, find, list, delete, each one
 * statement, rows returned as entities. Only the entity's columns can be named, so no caller
 * reaches a column or table it does not declare.
 */
export class IdentityRepository<E extends ObjectLiteral> {
  private readonly repository: Repository<E>;

  constructor(
    private readonly manager: EntityManager,
    private readonly target: EntityTarget<E>,
  ) {
    this.repository = manager.getRepository(target);
  }

  /** The same table within a transaction. */
  withManager(manager: EntityManager): IdentityRepository<E> {
    return new IdentityRepository(manager, this.target);
  }

  private get id(): string {
    return this.repository.metadata.primaryColumns[0].propertyName;
  }

  async insert(values: Values<E>): Promise<E> {
    const result = await this.repository
      .createQueryBuilder()
      .insert()
      .values(this.columnsOf(values) as QueryDeepPartialEntity<E>)
      .returning('*')
      .updateEntity(false)
      .execute();
    return this.hydrate((result.raw as Array<Record<string, unknown>>)[0]);
  }

  /** Sets the given columns (and `updated_at = now()` where the table has it); undefined when no row has this id. */
  async update(id: string, patch: Values<E>): Promise<E | undefined> {
    const set: Record<string, unknown> = this.columnsOf(patch);
    delete set[this.id];
    if (this.repository.metadata.findColumnWithPropertyName('updated_at')) set.updated_at = () => 'now()';
    if (Object.keys(set).length === 0) return this.find(id);
    const result = await this.repository
      .createQueryBuilder()
      .update()
      .set(set as QueryDeepPartialEntity<E>)
      .where(`${this.quoted(this.id)} = :id`, { id })
      .returning('*')
      .updateEntity(false)
      .execute();
    const row = (result.raw as Array<Record<string, unknown>>)[0];
    return row ? this.hydrate(row) : undefined;
  }

  async find(id: string): Promise<E | undefined> {
    return (await this.select([{ column: this.id as keyof E & string, op: 'eq', value: id }]).getOne()) ?? undefined;
  }

  async findBy(filters: ReadonlyArray<Filter<E>>): Promise<E[]> {
    return this.ordered(this.select(filters), 'ASC').getMany();
  }

  async delete(id: string): Promise<E | undefined> {
    const result = await this.repository.createQueryBuilder().delete().where(`${this.quoted(this.id)} = :id`, { id }).returning('*').execute();
    const row = (result.raw as Array<Record<string, unknown>>)[0];
    return row ? this.hydrate(row) : undefined;
  }

  async list(filters: ReadonlyArray<Filter<E>>, page: Page): Promise<{ rows: E[]; total: number }> {
    const [rows, total] = await this.ordered(this.select(filters), 'DESC')
      .skip((page.page - 1) * page.size)
      .take(page.size)
      .getManyAndCount();
    return { rows, total };
  }

  private select(filters: ReadonlyArray<Filter<E>>): SelectQueryBuilder<E> {
    const query = this.repository.createQueryBuilder('t');
    filters.forEach((filter, index) => {
      const column = `t.${this.column(filter.column)}`;
      const name = `f${index}`;
      switch (filter.op) {
        case 'eq':
          if (filter.value === null) query.andWhere(`${column} IS NULL`);
          else query.andWhere(`${column} = :${name}`, { [name]: filter.value });
          return;
        case 'in':
          query.andWhere(`${column} = ANY(CAST(:${name} AS text[]))`, { [name]: [...filter.value] });
          return;
        case 'contains':
          query.andWhere(`${column} @> CAST(:${name} AS jsonb)`, { [name]: JSON.stringify(filter.value) });
          return;
        case 'has':
          query.andWhere(`:${name} = ANY(${column})`, { [name]: filter.value });
          return;
      }
    });
    return query;
  }

  private ordered(query: SelectQueryBuilder<E>, direction: 'ASC' | 'DESC'): SelectQueryBuilder<E> {
    const time = ['created_at', 'deleted_at'].find((name) => this.repository.metadata.findColumnWithPropertyName(name));
    if (time) query.orderBy(`t.${time}`, direction).addOrderBy(`t.${this.id}`);
    else query.orderBy(`t.${this.id}`);
    return query;
  }

  private column(name: string): string {
    if (!this.repository.metadata.findColumnWithPropertyName(name)) throw new Error(`Unknown column ${name} of ${this.repository.metadata.tableName}`);
    return name;
  }

  private quoted(name: string): string {
    return `"${this.repository.metadata.findColumnWithPropertyName(name)?.databaseName ?? this.column(name)}"`;
  }

  /** Only the entity's columns, whatever else the object carries (a row spread from a view). */
  private columnsOf(values: Values<E>): Record<string, unknown> {
    const columns: Record<string, unknown> = {};
    for (const column of this.repository.metadata.columns) {
      if (column.propertyName in values) columns[column.propertyName] = (values as Record<string, unknown>)[column.propertyName];
    }
    return columns;
  }

  /** A row returned by INSERT / UPDATE / DELETE ... RETURNING, read as `find` reads it (types, transformers). */
  private hydrate(raw: Record<string, unknown>): E {
    const entity = this.repository.create() as Record<string, unknown>;
    const driver = this.manager.connection.driver;
    for (const column of this.repository.metadata.columns) {
      if (column.databaseName in raw) entity[column.propertyName] = driver.prepareHydratedValue(raw[column.databaseName], column);
    }
    return entity as E;
  }
}
