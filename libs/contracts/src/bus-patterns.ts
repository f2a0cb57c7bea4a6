/**
 * Bus patterns: every subject without its deployment prefix (and routing key). Nest handlers are
 * declared with these (`@MessagePattern(busPatterns.authVerifyKey, ...)`); the bus transport turns a
 * pattern into subjects with the process's prefix, so one decorator serves every deployment and test.
 * Shape: `<domain>.<cmd|evt>.<name>.v<major>`.
 */
export const busPatterns = {
  /** Routed by provider: `<prefix>.provider.cmd.chat.v1.<provider>`, queue group `worker-<provider>`. */
  providerChat: 'provider.cmd.chat.v1',
  providerEmbed: 'provider.cmd.embed.v1',
  /** Broadcast to every worker: the one holding the request aborts it. */
  providerCancel: 'provider.cmd.cancel.v1',
  usageRecorded: 'usage.evt.recorded.v1',
  usageBudgetAlert: 'usage.evt.budget_alert.v1',
  usageDead: 'usage-dlq.evt.dead.v1',
  routerCooldown: 'router.evt.cooldown.v1',
  apiChatCompletions: 'api.cmd.chat_completions.v1',
  apiEmbeddings: 'api.cmd.embeddings.v1',
  apiResponses: 'api.cmd.responses.v1',
  apiModels: 'api.cmd.models.v1',
  apiCancel: 'api.cmd.cancel.v1',
  authVerifyKey: 'auth.cmd.verify_key.v1',
  authManage: 'auth.cmd.manage.v1',
  authListModels: 'auth.cmd.list_models.v1',
  authCustomerStatus: 'auth.cmd.customer_status.v1',
  authChanged: 'auth.evt.changed.v1',
  /**
   * Spend reports, answered by the budget service (owner of the ledger) in the queue group `budget`
   * (spend-report.schema.ts): LiteLLM's `/spend/logs`, `/global/spend/*`, `/spend/tags`,
   * `/spend/calculate`, and the totals the management views show.
   */
  budgetSpendLogs: 'budget.cmd.spend_logs.v1',
  budgetSpendByModel: 'budget.cmd.spend_by_model.v1',
  budgetSpendByKey: 'budget.cmd.spend_by_key.v1',
  budgetDailySpend: 'budget.cmd.daily_spend.v1',
  budgetSpendByTag: 'budget.cmd.spend_by_tag.v1',
  budgetSpendTotals: 'budget.cmd.spend_totals.v1',
  budgetCalculateSpend: 'budget.cmd.calculate_spend.v1',
} as const;

export type BusPattern = (typeof busPatterns)[keyof typeof busPatterns];
