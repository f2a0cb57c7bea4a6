import { z } from 'zod';

/**
 * `period_spend` request: what the ledger recorded for one budget since its period started.
 * `entity: all` is the global proxy budget; `modelGroup` narrows to one model (a key's
 * `model_max_budget`). Requests whose cost Redis counts itself (still in flight, or settled while
 * the counter was missing) are named in `excludeRequestIds` so no cost is counted twice.
 */
export const periodSpendRequestSchema = z.object({
  v: z.literal(1),
  entity: z.enum(['key', 'user', 'team', 'customer', 'all']),
  id: z.string().min(1).optional(),
  modelGroup: z.string().min(1).optional(),
  /** ISO instant the period started. */
  from: z.string().refine((value) => Number.isFinite(Date.parse(value)), 'must be an ISO instant'),
  excludeRequestIds: z.array(z.string()).max(100_000).default([]),
});
export type PeriodSpendRequestV1 = z.infer<typeof periodSpendRequestSchema>;

/** `period_spend` reply: the exact decimal USD sum (12 fraction digits); a failure is the bus's error reply. */
export interface PeriodSpendReplyV1 {
  spend: string;
}
