import type { IncomingHttpHeaders } from 'node:http';
import type { IdentityLimits } from '@switchboard/contracts';
import { SwitchboardError, quoteInput } from '@switchboard/spec';
import type { VerifiedKey } from '../auth/key-verifier';

/** A request's cache controls (LiteLLM's `cache` object, `Cache-Control`, the key's `metadata.cache`). */
export interface CacheControls {
  /** `no-cache`: do not answer from the cache (the answer may still be stored). */
  noCache: boolean;
  /** `no-store`: do not store this answer. */
  noStore: boolean;
  /** `ttl`: seconds this answer is kept. */
  ttlSeconds?: number;
  /** `s-maxage`: accept only an entry at most this many seconds old. */
  maxAgeSeconds?: number;
  /** `namespace`: entries of this namespace only (instead of `cache_params.namespace`). */
  namespace?: string;
  /** `use-cache`: opt in when `cache_params.mode` is `default_off`. */
  useCache: boolean;
  /** The control names the request set, for `allowed_cache_controls`. */
  names: string[];
}

/** The body fields a planner hands over: LiteLLM's `cache` object and `caching` flag. Never sent upstream. */
export interface RequestCacheFields {
  cache?: unknown;
  caching?: unknown;
}

export const cacheBodyFields = ['cache', 'caching'] as const;

export function cacheFieldsOf(body: unknown): RequestCacheFields {
  if (!body || typeof body !== 'object') return {};
  const record = body as Record<string, unknown>;
  return { cache: record.cache, caching: record.caching };
}

const controlNames = new Set(['ttl', 's-maxage', 's-max-age', 'no-cache', 'no-store', 'namespace', 'use-cache']);

/**
 * Reads the controls of one request. The body's `cache` object is LiteLLM's (`ttl`, `s-maxage`,
 * `no-cache`, `no-store`, `namespace`, `use-cache`); `caching: false` turns both lookup and store off.
 * `Cache-Control` directives `no-cache`, `no-store` and `max-age` mean what they mean in HTTP, and
 * `s-maxage` is the entry's ttl as in LiteLLM's proxy; other directives are for HTTP caches and are
 * left to them. A key's `metadata.cache` overrides the request's (LiteLLM's key-level caching). A key,
 * team or user with `allowed_cache_controls` may set only those (403 otherwise, LiteLLM's message).
 */
export function parseCacheControls(fields: RequestCacheFields, headers: IncomingHttpHeaders, verified: VerifiedKey | undefined): CacheControls {
  const controls: CacheControls = { noCache: false, noStore: false, useCache: false, names: [] };
  if (fields.caching !== undefined && fields.caching !== null) {
    if (typeof fields.caching !== 'boolean') throw new SwitchboardError('invalid_request', "'caching' must be a boolean", { param: 'caching' });
    if (fields.caching) controls.useCache = true;
    else {
      controls.noCache = true;
      controls.noStore = true;
    }
  }
  applyHeader(controls, headers['cache-control']);
  if (fields.cache !== undefined && fields.cache !== null) applyObject(controls, fields.cache, 'cache', true);
  const keyCache = verified?.identity?.metadata?.cache;
  if (keyCache && typeof keyCache === 'object' && !Array.isArray(keyCache)) applyObject(controls, keyCache, 'metadata.cache', false);
  enforceAllowed(controls.names, verified);
  return controls;
}

function applyObject(controls: CacheControls, value: unknown, param: string, fromRequest: boolean): void {
  if (typeof value !== 'object' || Array.isArray(value)) throw new SwitchboardError('invalid_request', `'${param}' must be an object of cache controls`, { param });
  for (const [name, setting] of Object.entries(value as Record<string, unknown>)) {
    if (!controlNames.has(name)) {
      // A key's metadata may hold anything; only a request's unknown control is refused.
      if (!fromRequest) continue;
      throw new SwitchboardError('invalid_request', `'${param}.${quoteInput(name, 40)}' is not a cache control: use ttl, s-maxage, no-cache, no-store, namespace or use-cache`, { param: `${param}.${quoteInput(name, 40)}` });
    }
    if (setting === undefined || setting === null) continue;
    if (fromRequest) controls.names.push(name);
    const where = `${param}.${name}`;
    switch (name) {
      case 'ttl':
        controls.ttlSeconds = seconds(setting, where);
        break;
      case 's-maxage':
      case 's-max-age':
        controls.maxAgeSeconds = seconds(setting, where);
        break;
      case 'no-cache':
        controls.noCache = flag(setting, where);
        break;
      case 'no-store':
        controls.noStore = flag(setting, where);
        break;
      case 'use-cache':
        controls.useCache = flag(setting, where);
        break;
      case 'namespace':
        if (typeof setting !== 'string' || setting === '' || setting.length > 200 || /\s/.test(setting)) {
          throw new SwitchboardError('invalid_request', `'${where}' must be a non-empty string without spaces (at most 200 characters)`, { param: where });
        }
        controls.namespace = setting;
        break;
    }
  }
}

function applyHeader(controls: CacheControls, header: string | string[] | undefined): void {
  if (header === undefined) return;
  for (const directive of (Array.isArray(header) ? header.join(',') : header).split(',')) {
    const [rawName, rawValue] = directive.trim().split('=', 2);
    const name = rawName.toLowerCase();
    const value = rawValue === undefined ? undefined : Number(rawValue.replace(/^"|"$/g, ''));
    if (name === 'no-cache') {
      controls.noCache = true;
      controls.names.push('no-cache');
    } else if (name === 'no-store') {
      controls.noStore = true;
      controls.names.push('no-store');
    } else if (name === 's-maxage' && value !== undefined && Number.isFinite(value) && value >= 0) {
      controls.ttlSeconds = value;
      controls.names.push('ttl');
    } else if (name === 'max-age' && value !== undefined && Number.isFinite(value) && value >= 0) {
      controls.maxAgeSeconds = value;
      controls.names.push('s-maxage');
    }
  }
}

function seconds(value: unknown, param: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new SwitchboardError('invalid_request', `'${param}' must be a non-negative number of seconds`, { param });
  return value;
}

function flag(value: unknown, param: string): boolean {
  if (typeof value !== 'boolean') throw new SwitchboardError('invalid_request', `'${param}' must be a boolean`, { param });
  return value;
}

/** `allowed_cache_controls` of the key, its team and its user: empty or unset allows every control. */
function enforceAllowed(names: readonly string[], verified: VerifiedKey | undefined): void {
  const identity = verified?.identity;
  if (!identity || names.length === 0) return;
  for (const limits of [identity.limits, identity.teamLimits, identity.userLimits]) {
    const allowed = allowedOf(limits);
    if (!allowed) continue;
    for (const name of names) {
      const canonical = name === 's-max-age' ? 's-maxage' : name;
      if (!allowed.has(canonical)) {
        throw new SwitchboardError('permission_denied', `Not allowed to set ${canonical} as a cache control. Contact admin to change permissions.`, { param: 'cache' });
      }
    }
  }
}

function allowedOf(limits: IdentityLimits | undefined): ReadonlySet<string> | undefined {
  const list = limits?.allowed_cache_controls;
  return Array.isArray(list) && list.length > 0 ? new Set(list) : undefined;
}
