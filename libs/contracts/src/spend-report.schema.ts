import { z } from 'zod';

/**
 * The spend reports the budget service answers (docs/ARCHITECTURE.md D16), one command each, queue
 * group `budget`. Amounts are exact decimal USD strings (12 fraction digits), as the ledger keeps
 * them; the gateway turns them into LiteLLM's numbers at its edge. Requests are validated by the
 * budget service; replies are validated by the gateway, so a version mismatch is a clear error.
 */

const instant = z.string().refine((value) => Number.isFinite(Date.parse(value)), 'must be a date or an ISO instant');
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');
/** Exact decimal USD, as Postgres `numeric` prints it. */
const usd = z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a decimal amount');
const count = z.number().int().nonnegative();
const id = z.string().min(1).max(512);

/** `spend_logs`: ledger rows, newest first (LiteLLM's `/spend/logs`), already scoped to what the caller may read. */
export const spendLogsRequestSchema = z.object({
  v: z.literal(1),
  /** A request id or a Responses `resp_` id. */
  requestId: id.optional(),
  keyHash: id.optional(),
  userId: id.optional(),
  teamId: id.optional(),
  startDate: instant.optional(),
  endDate: instant.optional(),
  model: id.optional(),
  status: id.optional(),
  tag: id.optional(),
  limit: z.number().int().min(1).max(1_000),
});
export type SpendLogsRequestV1 = z.infer<typeof spendLogsRequestSchema>;

/** One ledger row as `/spend/logs` shows it (LiteLLM-style snake_case names). */
export const spendLogRecordSchema = z.object({
  request_id: z.string(),
  response_id: z.string().nullable(),
  occurred_at: z.string(),
  call_type: z.string(),
  status: z.string(),
  error_code: z.string().nullable(),
  key_alias: z.string().nullable(),
  user_id: z.string().nullable(),
  team_id: z.string().nullable(),
  customer_id: z.string().nullable(),
  tags: z.array(z.string()),
  model_group: z.string(),
  deployment_id: z.string(),
  provider: z.string(),
  upstream_model: z.string(),
  prompt_tokens: count,
  completion_tokens: count,
  cache_read_tokens: count,
  cache_write_tokens: count,
  reasoning_tokens: count,
  cost: usd,
  price_missing: z.boolean(),
  usage_estimated: z.boolean(),
  latency_ms: count,
  time_to_first_token_ms: count.nullable(),
  attempt: count,
  /** Only with `store_prompts_in_spend_logs` (redacted). */
  messages: z.array(z.unknown()).nullable(),
  response: z.string().nullable(),
  /** Answered from the response cache (cost 0), and the cache key it was answered with. */
  cache_hit: z.boolean(),
  cache_key: z.string().nullable(),
});
export type SpendLogRecordV1 = z.infer<typeof spendLogRecordSchema>;
export const spendLogsReplySchema = z.object({ logs: z.array(spendLogRecordSchema) });
export type SpendLogsReplyV1 = z.infer<typeof spendLogsReplySchema>;

/** `spend_by_model` and `spend_by_key` take no arguments. */
export const spendSummaryRequestSchema = z.object({ v: z.literal(1) });
export type SpendSummaryRequestV1 = z.infer<typeof spendSummaryRequestSchema>;

export const spendByModelReplySchema = z.object({
  models: z.array(z.object({ model: z.string(), total_spend: usd, requests: count, prompt_tokens: count, completion_tokens: count })),
});
export type SpendByModelReplyV1 = z.infer<typeof spendByModelReplySchema>;

export const spendByKeyReplySchema = z.object({
  keys: z.array(z.object({ key_alias: z.string().nullable(), total_spend: usd, requests: count })),
});
export type SpendByKeyReplyV1 = z.infer<typeof spendByKeyReplySchema>;

/** `daily_spend`: per UTC day, entity and model group, from the daily aggregates (`/global/spend/report`). */
export const dailySpendRequestSchema = z.object({
  v: z.literal(1),
  entityType: z.enum(['team', 'customer', 'key']),
  startDate: day,
  endDate: day,
});
export type DailySpendRequestV1 = z.infer<typeof dailySpendRequestSchema>;

export const dailySpendReplySchema = z.object({
  days: z.array(
    z.object({
      day,
      entity_id: z.string(),
      model_group: z.string(),
      spend: usd,
      requests: count,
      failed_requests: count,
      prompt_tokens: count,
      completion_tokens: count,
    }),
  ),
});
export type DailySpendReplyV1 = z.infer<typeof dailySpendReplySchema>;

/** `spend_by_tag`: spend per request tag, dates inclusive (`/spend/tags`). */
export const spendByTagRequestSchema = z.object({ v: z.literal(1), startDate: day.optional(), endDate: day.optional() });
export type SpendByTagRequestV1 = z.infer<typeof spendByTagRequestSchema>;

export const spendByTagReplySchema = z.object({ tags: z.array(z.object({ tag: z.string(), spend: usd, requests: count })) });
export type SpendByTagReplyV1 = z.infer<typeof spendByTagReplySchema>;

/**
 * `spend_totals`: the recorded spend of keys (by stable id), users, teams, organizations and
 * customers, for the management views (`/key/info`, `/team/list`, ...) and `x-litellm-key-spend`.
 * Entities with nothing recorded are absent from the reply (their spend is 0).
 */
export const spendTotalsRequestSchema = z.object({
  v: z.literal(1),
  entities: z.array(z.object({ type: z.enum(['key', 'user', 'team', 'organization', 'customer']), id })).min(1).max(1_000),
});
export type SpendTotalsRequestV1 = z.infer<typeof spendTotalsRequestSchema>;
export type SpendTotalsEntity = SpendTotalsRequestV1['entities'][number];

export const spendTotalsReplySchema = z.object({
  totals: z.array(z.object({ type: z.enum(['key', 'user', 'team', 'organization', 'customer']), id: z.string(), spend: usd, requests: count })),
});
export type SpendTotalsReplyV1 = z.infer<typeof spendTotalsReplySchema>;

/**
 * `calculate_spend`: what a completion's usage costs on a model group, priced by the budget
 * service's copy of the one price book (`/spend/calculate`). `usage` is OpenAI's usage object.
 */
export const calculateSpendRequestSchema = z.object({
  v: z.literal(1),
  model: id,
  usage: z.object({
    prompt_tokens: count.optional(),
    completion_tokens: count.optional(),
    prompt_tokens_details: z.looseObject({ cached_tokens: count.nullish() }).nullish(),
    completion_tokens_details: z.looseObject({ reasoning_tokens: count.nullish() }).nullish(),
  }),
});
export type CalculateSpendRequestV1 = z.infer<typeof calculateSpendRequestSchema>;

export const calculateSpendReplySchema = z.object({ cost: usd });
export type CalculateSpendReplyV1 = z.infer<typeof calculateSpendReplySchema>;
