import { createHash } from 'node:crypto';
import type { CacheScope } from '@switchboard/config';
import type { Caller } from '@switchboard/contracts';
import type { WorkerCommand } from '../lifecycle/call-plan';

/**
 * Request fields that never change the answer: how it is delivered (`stream`, `stream_options`),
 * LiteLLM's cache and routing controls, and labels. Everything else the worker gets (messages,
 * tools, tool_choice, temperature, response_format, seed, max_tokens, user, ...) is in the key.
 */
const ignoredFields = new Set(['model', 'stream', 'stream_options', 'cache', 'caching', 'metadata', 'litellm_metadata', 'tags', 'timeout', 'stream_timeout']);

/** What a tenant's entries are kept apart by: nothing (global), the team, the key, or the key and the end user. */
export function scopeOf(scope: CacheScope, caller: Caller): string {
  const key = caller.keyId ?? caller.keyHash ?? 'master';
  switch (scope) {
    case 'global':
      return '';
    case 'team':
      // A key without a team is its own tenant.
      return caller.teamId ? `team:${caller.teamId}` : `key:${key}`;
    case 'key':
      return `key:${key}`;
    case 'end_user':
      return `key:${key}${caller.customerId ? `|user:${caller.customerId}` : ''}`;
  }
}

/**
 * The request in a stable form: object keys sorted at every level, so the same request always has
 * the same key whatever order its client wrote the fields in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, field]) => field !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([name, field]) => `${JSON.stringify(name)}:${canonicalJson(field)}`).join(',')}}`;
}

export interface KeyMaterial {
  modelGroup: string;
  command: WorkerCommand;
  /** `scopeOf(...)`: empty for a global cache. */
  tenant: string;
  namespace?: string;
}

/** The request's parameters that change the answer, without the prompt (the semantic cache's bucket). */
export function parametersOf(command: WorkerCommand, without: readonly string[] = []): Record<string, unknown> {
  const parameters: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(command.request)) {
    if (!ignoredFields.has(name) && !without.includes(name)) parameters[name] = value;
  }
  return parameters;
}

/**
 * The cache key: SHA-256 of the model group, the call kind, the tenant and every parameter that
 * changes the answer, prefixed by the namespace (`<namespace>:<hex>`, as LiteLLM writes it). The
 * caller's key and the request id are never part of it (a `key` scope uses the key's stable id).
 */
export function cacheKeyOf(material: KeyMaterial): string {
  const source = canonicalJson({ group: material.modelGroup, kind: material.command.kind, tenant: material.tenant, request: parametersOf(material.command) });
  const hex = createHash('sha256').update(source).digest('hex');
  return material.namespace ? `${material.namespace}:${hex}` : hex;
}

/** The semantic cache's bucket: like the key, less the prompt, so paraphrases of it share one index. */
export function semanticBucketOf(material: KeyMaterial): string {
  const source = canonicalJson({ group: material.modelGroup, kind: material.command.kind, tenant: material.tenant, request: parametersOf(material.command, ['messages']) });
  const hex = createHash('sha256').update(source).digest('hex').slice(0, 32);
  return material.namespace ? `${material.namespace}:${hex}` : hex;
}
