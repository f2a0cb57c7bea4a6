/** One priced usage event, as the ledger stores it. `cost` is an exact decimal string (12 fraction digits). */
export interface LedgerEntry {
  messageId: string;
  requestId: string;
  responseId?: string;
  occurredAt: string;
  callType: string;
  status: string;
  errorCode?: string;
  keyHash?: string;
  /** The key's stable id (its first hash, kept across regenerations): what the key's totals are under. */
  keyId?: string;
  keyAlias?: string;
  userId?: string;
  teamId?: string;
  organizationId?: string;
  customerId?: string;
  tags: string[];
  modelGroup: string;
  deploymentId: string;
  provider: string;
  upstreamModel: string;
  promptTokens: number;
  completionTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  cost: string;
  priceSource: string;
  priceMissing: boolean;
  usageEstimated: boolean;
  latencyMs: number;
  timeToFirstTokenMs?: number;
  attempt: number;
  /** Only with `store_prompts_in_spend_logs`, already redacted. */
  messages?: unknown[];
  response?: string;
  /** Answered from the gateway's response cache (cost 0). */
  cacheHit?: boolean;
  cacheKey?: string;
}

export type SpendEntityType = 'key' | 'user' | 'team' | 'organization' | 'customer' | 'tag' | 'model';
