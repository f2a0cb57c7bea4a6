import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SpendEntityType } from '../ledger-entry';
import { bigintAsNumber } from './column-transformers';

/**
 * Daily aggregates per entity and model group (UTC days, `spend_daily`), written in the ledger's
 * transaction so they always agree with it, and kept beyond ledger retention.
 */
@Entity({ name: 'spend_daily' })
export class SpendDailyEntity {
  /** `YYYY-MM-DD`. */
  @PrimaryColumn({ type: 'date' })
  day!: string;

  @PrimaryColumn({ name: 'entity_type', type: 'text' })
  entityType!: SpendEntityType;

  @PrimaryColumn({ name: 'entity_id', type: 'text' })
  entityId!: string;

  @PrimaryColumn({ name: 'model_group', type: 'text' })
  modelGroup!: string;

  @Column({ type: 'numeric', precision: 24, scale: 12 })
  spend!: string;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  requests!: number;

  @Column({ name: 'successful_requests', type: 'bigint', transformer: bigintAsNumber })
  successfulRequests!: number;

  @Column({ name: 'failed_requests', type: 'bigint', transformer: bigintAsNumber })
  failedRequests!: number;

  @Column({ name: 'prompt_tokens', type: 'bigint', transformer: bigintAsNumber })
  promptTokens!: number;

  @Column({ name: 'completion_tokens', type: 'bigint', transformer: bigintAsNumber })
  completionTokens!: number;

  @Column({ name: 'cache_read_tokens', type: 'bigint', transformer: bigintAsNumber })
  cacheReadTokens!: number;

  @Column({ name: 'cache_write_tokens', type: 'bigint', transformer: bigintAsNumber })
  cacheWriteTokens!: number;
}
