import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A stored Responses API response (`responses`, migration CreateResponses1764000000000): the
 * conversation state behind `previous_response_id`, owned by the key that made it.
 */
@Entity({ name: 'responses' })
export class StoredResponseEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  owner!: string;

  @Column({ name: 'deployment_id', type: 'text' })
  deploymentId!: string;

  @Column({ name: 'model_group', type: 'text' })
  modelGroup!: string;

  @Column({ name: 'previous_response_id', type: 'text', nullable: true })
  previousResponseId!: string | null;

  @Column({ type: 'text' })
  status!: string;

  @Column({ name: 'input_items', type: 'jsonb' })
  inputItems!: unknown[];

  @Column({ type: 'jsonb' })
  messages!: unknown[];

  @Column({ type: 'jsonb' })
  response!: Record<string, unknown>;

  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false })
  createdAt!: Date;

  /** Set by a delete: the row stays for the owner's audit, hidden from retrieval. */
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;
}
