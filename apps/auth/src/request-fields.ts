import { z } from 'zod';
import type { IdentityLimits } from '@switchboard/contracts';
import { parseDuration, withBudgetSchedule } from '@switchboard/identity';
import { invalidField } from './management-error';

const duration = z.string().refine((value) => {
  try {
    parseDuration(value);
    return true;
  } catch {
    return false;
  }
}, 'must be a duration like 30s, 30m, 30h, 30d or 1mo');

const stringList = z.array(z.string());
const json = z.record(z.string(), z.unknown());

/** LiteLLM's budget and limit fields, shared by keys, users, teams, organizations and customers. */
export const limitFields = {
  max_budget: z.number().nonnegative().nullable().optional(),
  soft_budget: z.number().nonnegative().nullable().optional(),
  budget_duration: duration.nullable().optional(),
  tpm_limit: z.number().int().nonnegative().nullable().optional(),
  rpm_limit: z.number().int().nonnegative().nullable().optional(),
  max_parallel_requests: z.number().int().nonnegative().nullable().optional(),
  model_max_budget: json.nullable().optional(),
  model_rpm_limit: z.record(z.string(), z.number().int().nonnegative()).nullable().optional(),
  model_tpm_limit: z.record(z.string(), z.number().int().nonnegative()).nullable().optional(),
  /** The response-cache controls requests may set (checked by the gateway's cache, docs/caching.md). */
  allowed_cache_controls: z.array(z.enum(['ttl', 's-maxage', 'no-cache', 'no-store', 'namespace', 'use-cache'])).nullable().optional(),
};
export const limitNames = Object.keys(limitFields) as Array<keyof typeof limitFields>;

export const keyFields = z.object({
  key: z.string().startsWith('sk-', 'must start with sk-').min(8).optional(),
  key_alias: z.string().min(1).max(256).nullable().optional(),
  duration: duration.nullable().optional(),
  models: stringList.optional(),
  metadata: json.optional(),
  tags: stringList.nullable().optional(),
  user_id: z.string().min(1).nullable().optional(),
  team_id: z.string().min(1).nullable().optional(),
  organization_id: z.string().min(1).nullable().optional(),
  allowed_routes: stringList.optional(),
  key_type: z.enum(['llm_api', 'management', 'read_only', 'default']).optional(),
  blocked: z.boolean().nullable().optional(),
  ...limitFields,
});
export type KeyFields = z.infer<typeof keyFields>;

/** `/key/update`: the key is named by its plaintext or its hash (`token`), so no format check. */
export const keyUpdateFields = keyFields.extend({ key: z.string().optional() });

export const userFields = z.object({
  user_id: z.string().min(1).optional(),
  user_email: z.string().email().nullable().optional(),
  user_alias: z.string().nullable().optional(),
  user_role: z.enum(['proxy_admin', 'proxy_admin_viewer', 'internal_user', 'internal_user_viewer']).optional(),
  organization_id: z.string().min(1).nullable().optional(),
  teams: z.array(z.union([z.string(), z.object({ team_id: z.string(), user_role: z.enum(['admin', 'user']).optional() })])).optional(),
  models: stringList.optional(),
  metadata: json.optional(),
  auto_create_key: z.boolean().optional(),
  ...limitFields,
});
export type UserFields = z.infer<typeof userFields>;

export const memberFields = z.object({
  role: z.string().optional(),
  user_id: z.string().min(1).optional(),
  user_email: z.string().email().optional(),
});
export type MemberFields = z.infer<typeof memberFields>;

export const teamFields = z.object({
  team_id: z.string().min(1).optional(),
  team_alias: z.string().nullable().optional(),
  organization_id: z.string().min(1).nullable().optional(),
  members_with_roles: z.array(memberFields.extend({ role: z.enum(['admin', 'user']).default('user') })).optional(),
  models: stringList.optional(),
  tags: stringList.optional(),
  metadata: json.optional(),
  blocked: z.boolean().optional(),
  ...limitFields,
});
export type TeamFields = z.infer<typeof teamFields>;

export const organizationFields = z.object({
  organization_id: z.string().min(1).optional(),
  organization_alias: z.string().min(1).optional(),
  models: stringList.optional(),
  metadata: json.optional(),
  ...limitFields,
});
export type OrganizationFields = z.infer<typeof organizationFields>;

export const customerFields = z.object({
  user_id: z.string().min(1).optional(),
  alias: z.string().nullable().optional(),
  blocked: z.boolean().optional(),
  allowed_model_region: z.enum(['eu', 'us']).nullable().optional(),
  default_model: z.string().nullable().optional(),
  metadata: json.optional(),
  ...limitFields,
});
export type CustomerFields = z.infer<typeof customerFields>;

export const modelFields = z.object({
  model_name: z.string().min(1).optional(),
  litellm_params: z.looseObject({ model: z.string().min(1) }).optional(),
  model_info: json.optional(),
});
export type ModelFields = z.infer<typeof modelFields>;

/** `/model/update`: any subset of `litellm_params`, merged into the stored ones. */
export const modelUpdateFields = modelFields.extend({ litellm_params: z.record(z.string(), z.unknown()).optional() });

/** Parses a request body; the first problem becomes a 400 naming its field. */
export function parseFields<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.join('.') || 'body';
  throw invalidField(field, `Invalid value for '${field}': ${issue.message}`);
}

/** A required identifier from the body or the query. */
export function requiredId(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalidField(field, `'${field}' is required`);
  return value;
}

/** A required non-empty list of identifiers (`keys`, `team_ids`, `user_ids`, ...). */
export function requiredIds(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.some((item) => typeof item !== 'string' || item === '')) {
    throw invalidField(field, `'${field}' must be a non-empty list of strings`);
  }
  return value as string[];
}

/** The limits fields present in a parsed body, for the `limits` column. */
export function pickLimits(fields: Partial<Record<(typeof limitNames)[number], unknown>>): Record<string, unknown> {
  const limits: Record<string, unknown> = {};
  for (const name of limitNames) if (fields[name] !== undefined) limits[name] = fields[name];
  return limits;
}

/**
 * The `limits` column after an update: the changed fields merged in, and the budget period kept
 * when `budget_duration` changes (the running period's spend stays; it ends at now + the new duration).
 */
export function mergeLimits(row: { limits: IdentityLimits | null; created_at: string }, changes: Record<string, unknown>): IdentityLimits {
  return withBudgetSchedule((row.limits as IdentityLimits | null) ?? undefined, changes, row.created_at);
}

/** Copies the fields a request set (not undefined) into a row patch; only names that are both a field and a column. */
export function assignDefined<P extends object, F extends object>(patch: P, fields: F, names: ReadonlyArray<keyof F & keyof P & string>): void {
  for (const name of names) if (fields[name] !== undefined) (patch as Record<string, unknown>)[name] = fields[name];
}

/** `page` / `size` (or `page_size`) of a list route: page from 1, size up to 100. */
export function pageOf(query: Record<string, string>): { page: number; size: number } {
  const page = query.page === undefined ? 1 : Number(query.page);
  const size = Number(query.size ?? query.page_size ?? 10);
  if (!Number.isInteger(page) || page < 1) throw invalidField('page', "'page' must be a positive integer");
  if (!Number.isInteger(size) || size < 1 || size > 100) throw invalidField('size', "'size' must be an integer from 1 to 100");
  return { page, size };
}
