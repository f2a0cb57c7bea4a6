import { z } from 'zod';

/**
 * v1 of a budget alert, on `<prefix>.usage.evt.budget_alert.v1` (the usage stream): a budget's
 * `soft_budget` was crossed. At most one per budget and period: the JetStream message id is
 * `budget-alert:<scope>:<period>` and the gateways agree on it through Redis.
 */
export const budgetAlertSchema = z.object({
  v: z.literal(1),
  type: z.literal('soft_budget_crossed'),
  /** `key`, `team`, `user`, `customer` or `global`. */
  entityType: z.string(),
  /** The team / user / customer id, or the key's hash (never a plaintext key). */
  entityId: z.string(),
  keyAlias: z.string().optional(),
  softBudget: z.number(),
  maxBudget: z.number().optional(),
  spend: z.number(),
  periodStart: z.string(),
  occurredAt: z.string(),
});
export type BudgetAlertV1 = z.infer<typeof budgetAlertSchema>;
