import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SpendEntityType } from '../ledger-entry';
import { bigintAsNumber } from './column-transformers';

/** Running spend per key (by stable id), user, team, organization, customer, tag and model group (`spend_totals`). */
@Entity({ name: 'spend_totals' })
export class SpendTotalEntity {
  @PrimaryColumn({ name: 'entity_type', type: 'text' })
  entityType!: SpendEntityType;

  @PrimaryColumn({ name: 'entity_id', type: 'text' })
  entityId!: string;

  @Column({ type: 'numeric', precision: 24, scale: 12 })
  spend!: string;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  requests!: number;

  @Column({ name: 'prompt_tokens', type: 'bigint', transformer: bigintAsNumber })
  promptTokens!: number;

  @Column({ name: 'completion_tokens', type: 'bigint', transformer: bigintAsNumber })
  completionTokens!: number;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
