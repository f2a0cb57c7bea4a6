import type { CallerLogging } from './chat-command.schema';

/**
 * Messages of the auth service's subjects (`authSubjects`). Snake-case fields where they mirror
 * LiteLLM's management API; the verification reply is Switchboard's own.
 */

export type UserRole = 'proxy_admin' | 'proxy_admin_viewer' | 'internal_user' | 'internal_user_viewer';
export const userRoles: readonly UserRole[] = ['proxy_admin', 'proxy_admin_viewer', 'internal_user', 'internal_user_viewer'];

/** Budgets and limits as LiteLLM names them; enforced by the admission layer, stored by the auth service. */
export interface IdentityLimits {
  max_budget?: number | null;
  soft_budget?: number | null;
  budget_duration?: string | null;
  tpm_limit?: number | null;
  rpm_limit?: number | null;
  max_parallel_requests?: number | null;
  model_max_budget?: Record<string, unknown> | null;
  model_rpm_limit?: Record<string, number> | null;
  model_tpm_limit?: Record<string, number> | null;
  /** The response-cache controls a request may set (`no-cache`, `no-store`, `ttl`, `s-maxage`, `namespace`, `use-cache`); empty: all. */
  allowed_cache_controls?: string[] | null;
  /**
   * The budget period's anchors, written by the auth service (never taken from a request): the
   * start of the period that ends at `budget_reset_at`; later periods follow every
   * `budget_duration`. See `budgetScheduleOf` in `@switchboard/identity`.
   */
  budget_period_start?: string | null;
  /** LiteLLM's `budget_reset_at`: when the anchored period ends (the next reset, until it passes). */
  budget_reset_at?: string | null;
}

/** `verify_key` request: only the SHA-256 hex of the key ever travels. */
export interface VerifyKeyRequest {
  key_hash: string;
}

export type VerifyKeyStatus = 'valid' | 'not_found' | 'blocked' | 'expired' | 'team_blocked';

/** What the gateway needs to admit a request made with a virtual key. */
export interface KeyIdentity {
  keyHash: string;
  /** The key's stable id (its first hash, kept across regenerations): what spend, budgets and limits are counted under. */
  keyId?: string;
  keyName: string;
  keyAlias?: string;
  userId?: string;
  teamId?: string;
  organizationId?: string;
  /** The owner's role; keys without a user act as `internal_user`. */
  userRole: UserRole;
  /** Model patterns (names, wildcards, access groups) of the key, its team and its user; `[]` means "what the owner allows". */
  keyModels: string[];
  teamModels: string[];
  userModels: string[];
  allowedRoutes: string[];
  keyType?: string;
  tags: string[];
  metadata: Record<string, unknown>;
  /** The team's `metadata.logging` (per-team callbacks); the key's own are in `metadata.logging`. */
  teamLogging?: CallerLogging[];
  expiresAt?: string;
  /**
   * When the presented key value stops working although the key lives on: a regenerated key's old
   * value is verified as the new key until its grace period ends (`deprecated_keys.revoke_at`).
   */
  revokeAt?: string;
  /** The key's recorded spend (ledger totals) when it was verified: `x-litellm-key-spend`. */
  spend?: number;
  limits: IdentityLimits;
  teamLimits?: IdentityLimits;
  userLimits?: IdentityLimits;
}

export interface VerifyKeyReply {
  status: VerifyKeyStatus;
  identity?: KeyIdentity;
}

/** Who issues a management command: the master key, or a virtual key (resolved again by the auth service). */
export type ManagementActor = { kind: 'master' } | { kind: 'key'; keyHash: string };

/** `manage` request: one management route, as the gateway received it. */
export interface ManagementRequest {
  /** The route without its leading slash and version, e.g. `key/generate`, `team/member_add`. */
  operation: string;
  actor: ManagementActor;
  body: Record<string, unknown>;
  query: Record<string, string>;
  /** `litellm-changed-by`, recorded in the audit columns next to the actor. */
  changedBy?: string;
}

/** `manage` reply: the HTTP status and the JSON body the gateway sends back unchanged. */
export interface ManagementReply {
  status: number;
  body: unknown;
}

/** `customer_status` request and reply: unknown customers are simply `found: false` (no limits). */
export interface CustomerStatusRequest {
  customer_id: string;
}

export interface CustomerStatusReply {
  found: boolean;
  blocked?: boolean;
  limits?: IdentityLimits;
}

/** A deployment stored in the database (`/model/new`); secret params are encrypted (`encrypted/<...>`). */
export interface StoredModel {
  model_id: string;
  model_name: string;
  litellm_params: Record<string, unknown> & { model: string };
  model_info: Record<string, unknown>;
}

export interface ListModelsReply {
  models: StoredModel[];
}

/** `changed` event: which cached objects are stale. */
export interface IdentityChangedEvent {
  keyHashes?: string[];
  teamIds?: string[];
  userIds?: string[];
  organizationIds?: string[];
  customerIds?: string[];
  models?: boolean;
}
