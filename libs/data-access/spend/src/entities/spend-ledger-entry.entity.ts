import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One priced usage event (`spend_ledger`, migration CreateSpendLedger1764000100000 and later): keyed
 * by the event's message id, so a redelivered event never charges twice. `cost` is exact decimal
 * USD (numeric(24,12)), read as a string.
 */
@Entity({ name: 'spend_ledger' })
export class SpendLedgerEntryEntity {
  @PrimaryColumn({ name: 'message_id', type: 'text' })
  messageId!: string;

  @Column({ name: 'request_id', type: 'text' })
  requestId!: string;

  @Column({ name: 'response_id', type: 'text', nullable: true })
  responseId!: string | null;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;

  @Column({ name: 'call_type', type: 'text' })
  callType!: string;

  @Column({ type: 'text' })
  status!: string;

  @Column({ name: 'error_code', type: 'text', nullable: true })
  errorCode!: string | null;

  /** The hash the request was made with (LiteLLM's `api_key`). */
  @Column({ name: 'key_hash', type: 'text', nullable: true })
  keyHash!: string | null;

  /** The key's stable id (its first hash, kept across regenerations): what budgets and totals count under. */
  @Column({ name: 'key_id', type: 'text', nullable: true })
  keyId!: string | null;

  @Column({ name: 'key_alias', type: 'text', nullable: true })
  keyAlias!: string | null;

  @Column({ name: 'user_id', type: 'text', nullable: true })
  userId!: string | null;

  @Column({ name: 'team_id', type: 'text', nullable: true })
  teamId!: string | null;

  @Column({ name: 'organization_id', type: 'text', nullable: true })
  organizationId!: string | null;

  @Column({ name: 'customer_id', type: 'text', nullable: true })
  customerId!: string | null;

  @Column({ type: 'text', array: true })
  tags!: string[];

  @Column({ name: 'model_group', type: 'text' })
  modelGroup!: string;

  @Column({ name: 'deployment_id', type: 'text' })
  deploymentId!: string;

  @Column({ type: 'text' })
  provider!: string;

  @Column({ name: 'upstream_model', type: 'text' })
  upstreamModel!: string;

  @Column({ name: 'prompt_tokens', type: 'integer' })
  promptTokens!: number;

  @Column({ name: 'completion_tokens', type: 'integer' })
  completionTokens!: number;

  @Column({ name: 'cache_read_tokens', type: 'integer' })
  cacheReadTokens!: number;

  @Column({ name: 'cache_write_tokens', type: 'integer' })
  cacheWriteTokens!: number;

  @Column({ name: 'reasoning_tokens', type: 'integer' })
  reasoningTokens!: number;

  @Column({ type: 'numeric', precision: 24, scale: 12 })
  cost!: string;

  @Column({ name: 'price_source', type: 'text' })
  priceSource!: string;

  @Column({ name: 'price_missing', type: 'boolean' })
  priceMissing!: boolean;

  @Column({ name: 'usage_estimated', type: 'boolean' })
  usageEstimated!: boolean;

  @Column({ name: 'latency_ms', type: 'integer' })
  latencyMs!: number;

  @Column({ name: 'time_to_first_token_ms', type: 'integer', nullable: true })
  timeToFirstTokenMs!: number | null;

  @Column({ type: 'integer' })
  attempt!: number;

  /** Only with `store_prompts_in_spend_logs`, already redacted. */
  @Column({ type: 'jsonb', nullable: true })
  messages!: unknown[] | null;

  @Column({ type: 'text', nullable: true })
  response!: string | null;

  /** Answered from the gateway's response cache: no upstream call, cost 0. */
  @Column({ name: 'cache_hit', type: 'boolean', default: false })
  cacheHit!: boolean;

  @Column({ name: 'cache_key', type: 'text', nullable: true })
  cacheKey!: string | null;
}
