import type { Pool, PoolClient } from 'pg';

export type ColumnKind = 'text' | 'text[]' | 'jsonb' | 'boolean' | 'timestamptz';

export interface TableDefinition {
  table: string;
  /** The primary-key column. */
  id: string;
  columns: Readonly<Record<string, ColumnKind>>;
}

/** A row under its column names (LiteLLM's field names); timestamps as ISO strings. */
export type Row = Record<string, unknown>;

export type Filter =
  | { column: string; op: 'eq'; value: unknown }
  | { column: string; op: 'in'; value: readonly string[] }
  /** A jsonb column contains this JSON (e.g. a member of `members_with_roles`). */
  | { column: string; op: 'contains'; value: unknown }
  /** A text[] column holds this value. */
  | { column: string; op: 'has'; value: string };

/** A page of rows; `page` counts from 1. */
export interface Page {
  page: number;
  size: number;
}

type Queryable = Pick<Pool | PoolClient, 'query'>;

const identifier = /^[a-z_][a-z0-9_]*$/;

/**
 * Parameterised CRUD over one identity table. Column names come only from the table definition,
 * never from a request, so no caller can reach a column or table it does not name here.
 */
export class TableRepository {
  constructor(
    private readonly db: Queryable,
    readonly definition: TableDefinition,
  ) {
    for (const name of [definition.table, definition.id, ...Object.keys(definition.columns)]) {
      if (!identifier.test(name)) throw new Error(`Invalid identifier ${name}`);
    }
  }

  withConnection(db: Queryable): TableRepository {
    return new TableRepository(db, this.definition);
  }

  async insert(row: Row): Promise<Row> {
    const names = Object.keys(row).filter((name) => name in this.definition.columns);
    const values = names.map((name) => this.encode(name, row[name]));
    const result = await this.db.query(
      `INSERT INTO ${this.definition.table} (${names.join(', ')}) VALUES (${names.map((name, index) => `$${index + 1}${this.cast(name)}`).join(', ')}) RETURNING *`,
      values,
    );
    return this.decode(result.rows[0] as Row);
  }

  async update(id: string, patch: Row): Promise<Row | undefined> {
    const names = Object.keys(patch).filter((name) => name in this.definition.columns && name !== this.definition.id);
    const assignments = names.map((name, index) => `${name} = $${index + 2}${this.cast(name)}`);
    if ('updated_at' in this.definition.columns) assignments.push('updated_at = now()');
    if (assignments.length === 0) return this.find(id);
    const result = await this.db.query(
      `UPDATE ${this.definition.table} SET ${assignments.join(', ')} WHERE ${this.definition.id} = $1 RETURNING *`,
      [id, ...names.map((name) => this.encode(name, patch[name]))],
    );
    return result.rows[0] ? this.decode(result.rows[0] as Row) : undefined;
  }

  async find(id: string): Promise<Row | undefined> {
    const result = await this.db.query(`SELECT * FROM ${this.definition.table} WHERE ${this.definition.id} = $1`, [id]);
    return result.rows[0] ? this.decode(result.rows[0] as Row) : undefined;
  }

  async findBy(filters: readonly Filter[]): Promise<Row[]> {
    const { clause, values } = this.where(filters);
    const result = await this.db.query(`SELECT * FROM ${this.definition.table}${clause} ORDER BY ${this.order('ASC')}`, values);
    return result.rows.map((row) => this.decode(row as Row));
  }

  async delete(id: string): Promise<Row | undefined> {
    const result = await this.db.query(`DELETE FROM ${this.definition.table} WHERE ${this.definition.id} = $1 RETURNING *`, [id]);
    return result.rows[0] ? this.decode(result.rows[0] as Row) : undefined;
  }

  async list(filters: readonly Filter[], page: Page): Promise<{ rows: Row[]; total: number }> {
    const { clause, values } = this.where(filters);
    const count = await this.db.query<{ total: string }>(`SELECT count(*) AS total FROM ${this.definition.table}${clause}`, values);
    const result = await this.db.query(
      `SELECT * FROM ${this.definition.table}${clause} ORDER BY ${this.order('DESC')} LIMIT $${values.length + 1} OFFSET $${values.length + 2}`,
      [...values, page.size, (page.page - 1) * page.size],
    );
    return { rows: result.rows.map((row) => this.decode(row as Row)), total: Number(count.rows[0]?.total ?? 0) };
  }

  private where(filters: readonly Filter[]): { clause: string; values: unknown[] } {
    const values: unknown[] = [];
    const parts = filters.map((filter) => {
      if (!(filter.column in this.definition.columns)) throw new Error(`Unknown column ${filter.column}`);
      switch (filter.op) {
        case 'eq':
          if (filter.value === null) return `${filter.column} IS NULL`;
          values.push(filter.value);
          return `${filter.column} = $${values.length}`;
        case 'in':
          values.push(filter.value);
          return `${filter.column} = ANY($${values.length}::text[])`;
        case 'contains':
          values.push(JSON.stringify(filter.value));
          return `${filter.column} @> $${values.length}::jsonb`;
        case 'has':
          values.push(filter.value);
          return `$${values.length} = ANY(${filter.column})`;
      }
    });
    return { clause: parts.length ? ` WHERE ${parts.join(' AND ')}` : '', values };
  }

  private order(direction: 'ASC' | 'DESC'): string {
    const time = 'created_at' in this.definition.columns ? 'created_at' : 'deleted_at' in this.definition.columns ? 'deleted_at' : undefined;
    return time ? `${time} ${direction}, ${this.definition.id}` : this.definition.id;
  }

  private cast(name: string): string {
    const kind = this.definition.columns[name];
    return kind === 'jsonb' ? '::jsonb' : kind === 'text[]' ? '::text[]' : '';
  }

  private encode(name: string, value: unknown): unknown {
    if (value === undefined || value === null) return this.definition.columns[name] === 'jsonb' ? null : value ?? null;
    return this.definition.columns[name] === 'jsonb' ? JSON.stringify(value) : value;
  }

  private decode(row: Row): Row {
    const decoded: Row = {};
    for (const [name, value] of Object.entries(row)) decoded[name] = value instanceof Date ? value.toISOString() : value;
    return decoded;
  }
}
