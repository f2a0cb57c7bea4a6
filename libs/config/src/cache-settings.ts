import { z } from 'zod';
import { ConfigError, formatPath } from './config-error';

/** The client APIs an answer can be cached for (`supported_call_types`, LiteLLM's call type names mapped to them). */
export type CacheCallType = 'chat' | 'embeddings' | 'messages' | 'responses';

/** Which callers share entries: everyone (LiteLLM's exact cache), one team, one key, or one key and end user. */
export type CacheScope = 'global' | 'team' | 'key' | 'end_user';

export interface CacheRedisSettings {
  /** From `host` / `port` / `password` (or REDIS_HOST / REDIS_PORT / REDIS_PASSWORD); absent: the gateway's REDIS_URL. */
  host?: string;
  port?: number;
  password?: string;
  username?: string;
  ssl: boolean;
}

/** `litellm_settings.cache: true` with its `cache_params`, resolved and checked at boot. */
export interface CacheSettings {
  type: 'local' | 'redis' | 'redis-semantic';
  /** Seconds an entry lives (`ttl`, or `default_in_memory_ttl` / `default_in_redis_ttl` for that type); undefined: the default. */
  ttlSeconds?: number;
  namespace?: string;
  supportedCallTypes: ReadonlySet<CacheCallType>;
  /** LiteLLM call types accepted for compatibility that name a route Switchboard does not serve. */
  unservedCallTypes: readonly string[];
  mode: 'default_on' | 'default_off';
  scope: CacheScope;
  redis: CacheRedisSettings;
  /** redis-semantic only. */
  similarityThreshold?: number;
  embeddingModel?: string;
  /** Seconds a semantic lookup may spend embedding the prompt before the request goes upstream. */
  embeddingTimeoutSeconds?: number;
}

/** LiteLLM's `supported_call_types` names, by the API they cache here. */
const callTypeNames: Record<string, CacheCallType | 'unserved'> = {
  completion: 'chat',
  acompletion: 'chat',
  embedding: 'embeddings',
  aembedding: 'embeddings',
  responses: 'responses',
  aresponses: 'responses',
  anthropic_messages: 'messages',
  aanthropic_messages: 'messages',
  text_completion: 'unserved',
  atext_completion: 'unserved',
  transcription: 'unserved',
  atranscription: 'unserved',
  rerank: 'unserved',
  arerank: 'unserved',
};

/** Cache types LiteLLM has and Switchboard does not, each refused at start with what to use instead. */
const unsupportedTypes: Record<string, string> = {
  'qdrant-semantic': 'use type: redis-semantic (the vector index lives in Redis)',
  'valkey-semantic': 'use type: redis-semantic',
  s3: 'use type: redis (shared by every gateway instance) or local',
  gcs: 'use type: redis (shared by every gateway instance) or local',
  'azure-blob': 'use type: redis (shared by every gateway instance) or local',
  disk: 'use type: redis (shared by every gateway instance) or local',
};

/** LiteLLM `cache_params` keys that only matter to a backend or a client library Switchboard does not have. */
const unsupportedKeys: Record<string, string> = {
  redis_startup_nodes: 'Redis Cluster is not supported: point host / port (or REDIS_URL) at one Redis',
  sentinel_nodes: 'Redis Sentinel is not supported: point host / port (or REDIS_URL) at the primary',
  service_name: 'Redis Sentinel is not supported',
  sentinel_password: 'Redis Sentinel is not supported',
  redis_flush_size: 'writes are never batched in memory: each answer is written once, after it was sent',
  gcp_service_account: 'GCP IAM authentication for Redis is not supported: use password',
  gcp_ssl_ca_certs: 'GCP IAM authentication for Redis is not supported',
  redis_semantic_cache_index_name: 'the vector index is named after the namespace and model group, not configurable',
  semantic_cache_embedding_max_input_tokens: 'the prompt is embedded whole; remove it',
  max_connections: 'the gateway keeps one Redis connection for the cache; remove it',
  disk_cache_dir: 'the disk cache is not available',
};

const nonNegativeSeconds = z.union([z.number().nonnegative(), z.string().regex(/^\d+(\.\d+)?$/).transform(Number)]);
const portSchema = z.union([z.number().int().min(1).max(65535), z.string().regex(/^\d+$/).transform(Number)]);

const cacheParamsSchema = z.strictObject({
  type: z.string().optional(),
  mode: z.enum(['default_on', 'default_off']).optional(),
  ttl: nonNegativeSeconds.optional(),
  default_in_memory_ttl: nonNegativeSeconds.optional(),
  default_in_redis_ttl: nonNegativeSeconds.optional(),
  namespace: z.string().min(1).max(200).regex(/^[^\s]+$/, 'must not contain spaces').optional(),
  supported_call_types: z.array(z.string()).optional(),
  scope: z.enum(['global', 'team', 'key', 'end_user']).optional(),
  semantic_cache_scope: z.enum(['key', 'end_user']).optional(),
  host: z.string().min(1).optional(),
  port: portSchema.optional(),
  password: z.string().optional(),
  username: z.string().optional(),
  ssl: z.boolean().optional(),
  similarity_threshold: z.number().min(0).max(1).optional(),
  redis_semantic_cache_embedding_model: z.string().min(1).optional(),
  semantic_cache_embedding_timeout: z.number().positive().optional(),
});

const environmentReference = /^os\.environ\/([A-Za-z_][A-Za-z0-9_]*)$/;

/**
 * `litellm_settings.cache` / `cache_params` (https://docs.litellm.ai/docs/proxy/caching). `cache:
 * true` without a `type` is a Redis cache, as in LiteLLM's proxy. Every key is honoured or the
 * start is refused naming it: an unknown `type`, a backend Switchboard does not have, or a
 * backend-specific key.
 */
export function parseCacheSettings(
  litellmSettings: Readonly<Record<string, unknown>>,
  environment: Readonly<Record<string, string | undefined>>,
  sourcePath: string,
): CacheSettings | undefined {
  const enabled = litellmSettings.cache;
  const raw = litellmSettings.cache_params;
  if (enabled !== true) {
    if (raw !== undefined && enabled !== false) {
      fail(sourcePath, 'litellm_settings.cache_params', 'has no effect without litellm_settings.cache: true');
    }
    return undefined;
  }
  const params = resolveReferences(raw ?? {}, environment, sourcePath, ['litellm_settings', 'cache_params']);
  for (const key of Object.keys(params)) {
    if (key in unsupportedKeys) fail(sourcePath, `litellm_settings.cache_params.${key}`, unsupportedKeys[key]);
    if (/^(s3_|gcs_|qdrant_|azure_)/.test(key)) fail(sourcePath, `litellm_settings.cache_params.${key}`, 'belongs to a cache type Switchboard does not have');
  }
  const parsed = cacheParamsSchema.safeParse(params);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const keys = issue.code === 'unrecognized_keys' ? `.${issue.keys.join(', ')}` : '';
    const path = `litellm_settings.cache_params${issue.path.length ? `.${formatPath(issue.path)}` : ''}${keys}`;
    fail(sourcePath, path, issue.code === 'unrecognized_keys' ? 'is not a cache setting Switchboard knows (see README "Caching")' : issue.message);
  }
  const values = parsed.data;
  const type = values.type ?? 'redis';
  if (type in unsupportedTypes) fail(sourcePath, 'litellm_settings.cache_params.type', `'${type}' is not supported: ${unsupportedTypes[type]}`);
  if (type !== 'local' && type !== 'redis' && type !== 'redis-semantic') {
    fail(sourcePath, 'litellm_settings.cache_params.type', `'${type}' is not a cache type: use local, redis or redis-semantic`);
  }
  const supported = new Set<CacheCallType>();
  const unserved: string[] = [];
  for (const name of values.supported_call_types ?? ['acompletion', 'aembedding', 'aresponses', 'aanthropic_messages']) {
    const api = callTypeNames[name];
    if (!api) fail(sourcePath, 'litellm_settings.cache_params.supported_call_types', `'${name}' is not a call type (use acompletion, aembedding, aresponses, aanthropic_messages)`);
    if (api === 'unserved') unserved.push(name);
    else supported.add(api);
  }
  const semantic = type === 'redis-semantic';
  if (semantic) {
    if (values.similarity_threshold === undefined) fail(sourcePath, 'litellm_settings.cache_params.similarity_threshold', 'is required for type redis-semantic');
    if (!values.redis_semantic_cache_embedding_model) {
      fail(sourcePath, 'litellm_settings.cache_params.redis_semantic_cache_embedding_model', 'is required for type redis-semantic: name an embedding model group of model_list');
    }
  } else {
    for (const key of ['similarity_threshold', 'redis_semantic_cache_embedding_model', 'semantic_cache_embedding_timeout', 'semantic_cache_scope'] as const) {
      if (values[key] !== undefined) fail(sourcePath, `litellm_settings.cache_params.${key}`, 'only applies to type redis-semantic');
    }
  }
  if (type === 'local') {
    for (const key of ['host', 'port', 'password', 'username', 'ssl', 'default_in_redis_ttl'] as const) {
      if (values[key] !== undefined) fail(sourcePath, `litellm_settings.cache_params.${key}`, 'only applies to a Redis cache (type local keeps entries in each gateway)');
    }
  } else if (values.default_in_memory_ttl !== undefined) {
    fail(sourcePath, 'litellm_settings.cache_params.default_in_memory_ttl', 'only applies to type local');
  }
  if (values.scope && values.semantic_cache_scope) fail(sourcePath, 'litellm_settings.cache_params.semantic_cache_scope', 'set scope or semantic_cache_scope, not both');
  const typeTtl = type === 'local' ? values.default_in_memory_ttl : values.default_in_redis_ttl;
  const ttl = typeTtl ?? values.ttl;
  const host = values.host ?? nonEmpty(environment.REDIS_HOST);
  const portText = values.port ?? nonEmpty(environment.REDIS_PORT);
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) fail(sourcePath, 'REDIS_PORT', 'must be a port number');
  return {
    type,
    ttlSeconds: ttl === undefined || ttl === 0 ? undefined : ttl,
    namespace: values.namespace,
    supportedCallTypes: supported,
    unservedCallTypes: unserved,
    mode: values.mode ?? 'default_on',
    // LiteLLM's exact cache is shared by everyone; its semantic cache is per key by default.
    scope: values.scope ?? values.semantic_cache_scope ?? (semantic ? 'key' : 'global'),
    redis: {
      host,
      port,
      password: values.password ?? (host && !values.host ? nonEmpty(environment.REDIS_PASSWORD) : undefined),
      username: values.username,
      ssl: values.ssl ?? false,
    },
    similarityThreshold: values.similarity_threshold,
    embeddingModel: values.redis_semantic_cache_embedding_model,
    embeddingTimeoutSeconds: values.semantic_cache_embedding_timeout,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function fail(sourcePath: string, path: string, message: string): never {
  throw new ConfigError(`Invalid config file ${sourcePath}:\n  ${path}: ${message}`, [{ path, message }]);
}

/** `os.environ/NAME` values of `cache_params` (a Redis password, typically), resolved now. */
function resolveReferences(raw: unknown, environment: Readonly<Record<string, string | undefined>>, sourcePath: string, path: string[]): Record<string, unknown> {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) fail(sourcePath, formatPath(path), 'must be a mapping');
  const resolved: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const match = typeof value === 'string' ? environmentReference.exec(value) : null;
    if (!match) {
      resolved[key] = value;
      continue;
    }
    const found = environment[match[1]];
    if (found === undefined || found === '') fail(sourcePath, formatPath([...path, key]), `refers to the environment variable ${match[1]}, which is not set`);
    resolved[key] = key === 'port' || key === 'ttl' ? Number(found) : found;
  }
  return resolved;
}
