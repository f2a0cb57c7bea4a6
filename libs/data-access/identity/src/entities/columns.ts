import { Column } from 'typeorm';
import type { ValueTransformer } from 'typeorm';

/**
 * Timestamps as ISO strings, as the management API shows them and the services compare them (the
 * views are the rows, under LiteLLM's field names). Written from an ISO string or a Date.
 */
export const isoTimestamp: ValueTransformer = {
  to: (value: string | Date | null | undefined) => value,
  from: (value: Date | null) => (value === null ? null : value.toISOString()),
};

/** A `timestamptz` column read as an ISO string. */
export function TimestampColumn(options: { nullable?: boolean; insert?: boolean } = {}): PropertyDecorator {
  return Column({ type: 'timestamptz', transformer: isoTimestamp, nullable: options.nullable ?? false, insert: options.insert });
}

export const TextColumn = (nullable = false): PropertyDecorator => Column({ type: 'text', nullable });
export const TextListColumn = (): PropertyDecorator => Column({ type: 'text', array: true });
export const JsonColumn = (nullable = false): PropertyDecorator => Column({ type: 'jsonb', nullable });
export const BooleanColumn = (): PropertyDecorator => Column({ type: 'boolean' });

/**
 * Who created and last changed a row (`litellm-changed-by`, else the caller). `created_at` and
 * `updated_at` are the database's (`now()`); an insert never sets them, an update sets `updated_at`.
 */
export abstract class Audited {
  @TimestampColumn()
  created_at!: string;

  @TextColumn(true)
  created_by!: string | null;

  @TimestampColumn()
  updated_at!: string;

  @TextColumn(true)
  updated_by!: string | null;
}
