import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { CacheSettings, SwitchboardConfig } from '@switchboard/config';
import type { Caller } from '@switchboard/contracts';
import type { Logger } from '@switchboard/observability';
import type { RouteTrace } from '@switchboard/router';
import { SwitchboardError } from '@switchboard/spec';
import type { EmbeddingResult, Usage } from '@switchboard/spec';
import { GATEWAY_SETTINGS, LOGGER, SWITCHBOARD_CONFIG } from '../bootstrap/tokens';
import { ChatAttemptService } from '../chat/chat-attempt.service';
import type { CancellationScope } from '../chat/chat-attempt.service';
import type { GatewaySettings } from '../gateway-settings.schema';
import { ModelRouter } from '../routing/model-router.service';
import type { CachedEntry } from './cached-answer';
import { LocalCacheStore, RedisCacheStore } from './cache-store';
import type { CacheStore } from './cache-store';
import { SemanticIndex } from './semantic-index';
import type { SemanticMatch } from './semantic-index';

/** The embedding of a prompt for the semantic cache, and what the call used (billed to the caller). */
export interface PromptEmbedding {
  vector: number[];
  usage: Usage;
  modelGroup: string;
  deploymentId: string;
}

/** Nobody can walk away from an internal embedding call: it ends by its own timeout. */
const internalCall: CancellationScope = { closed: false, track: () => undefined, release: () => undefined };

/**
 * Resolves with the value, or undefined when it failed or `ms` passed. The bound is checked after
 * the event loop has read its sockets once more, so a reply that arrived while this process was
 * busy still counts: the bound measures the backend, not this gateway's own lag.
 */
export function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (value: T | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(value);
    };
    const timer = setTimeout(() => setImmediate(() => settle(undefined)), ms);
    promise.then(settle, () => settle(undefined));
  });
}

/**
 * The response cache's storage (docs/ARCHITECTURE.md D26): entries in each gateway's memory
 * (`local`) or in Redis (`redis`, `redis-semantic`, with a vector index of the prompts), and the
 * prompt embeddings of the semantic cache, made through the normal worker path. A backend that is
 * down or slow never fails a request: lookups are bounded by CACHE_LOOKUP_TIMEOUT_MS, writes happen
 * after the answer and are only logged when they fail.
 */
@Injectable()
export class ResponseCacheService implements OnApplicationShutdown {
  readonly settings: CacheSettings | undefined;
  readonly store: CacheStore | undefined;
  private readonly redis: Redis | undefined;
  private readonly semantic: SemanticIndex | undefined;

  constructor(
    @Inject(SWITCHBOARD_CONFIG) config: SwitchboardConfig,
    @Inject(GATEWAY_SETTINGS) private readonly gateway: GatewaySettings,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(ModelRouter) private readonly router: ModelRouter,
    @Inject(ChatAttemptService) private readonly attempts: ChatAttemptService,
  ) {
    this.settings = config.cache;
    const settings = this.settings;
    if (!settings) return;
    if (settings.embeddingModel && !config.modelList.some((deployment) => deployment.modelName === settings.embeddingModel)) {
      throw new Error(`Invalid config: litellm_settings.cache_params.redis_semantic_cache_embedding_model '${settings.embeddingModel}' is not a model_name of model_list`);
    }
    for (const name of settings.unservedCallTypes) logger.warn({ callType: name }, 'cache_params.supported_call_types names a call type Switchboard has no route for; nothing to cache there');
    if (settings.type === 'local') {
      this.store = new LocalCacheStore({ maxBytes: gateway.CACHE_LOCAL_MAX_BYTES, defaultTtlSeconds: settings.ttlSeconds ?? gateway.CACHE_DEFAULT_TTL_SECONDS });
      return;
    }
    const redis = settings.redis.host
      ? new Redis({ host: settings.redis.host, port: settings.redis.port ?? 6379, password: settings.redis.password, username: settings.redis.username, tls: settings.redis.ssl ? {} : undefined, ...redisOptions(gateway) })
      : new Redis(gateway.REDIS_URL, redisOptions(gateway));
    let down = false;
    redis.on('error', (error: Error) => {
      if (!down) logger.warn({ err: { message: error.message } }, 'response cache: Redis unreachable; requests go upstream until it is back');
      down = true;
    });
    redis.on('ready', () => {
      if (down) logger.info('response cache: Redis is back; caching resumes');
      down = false;
    });
    this.redis = redis;
    this.store = new RedisCacheStore(redis, gateway.REDIS_KEY_PREFIX, settings.ttlSeconds ?? gateway.CACHE_DEFAULT_TTL_SECONDS);
    if (settings.type === 'redis-semantic') this.semantic = new SemanticIndex(redis, gateway.REDIS_KEY_PREFIX, gateway.CACHE_SEMANTIC_MAX_ENTRIES);
  }

  get semanticEnabled(): boolean {
    return this.semantic !== undefined;
  }

  /** The ttl an entry gets: the request's, else the config's, else CACHE_DEFAULT_TTL_SECONDS. */
  ttlSeconds(requested: number | undefined): number {
    return requested ?? this.settings?.ttlSeconds ?? this.gateway.CACHE_DEFAULT_TTL_SECONDS;
  }

  /** The entry under `key`, within the lookup bound; undefined on a miss, a timeout or a backend error. */
  async get(key: string): Promise<CachedEntry | undefined> {
    const store = this.store;
    if (!store?.available) return undefined;
    return within(store.get(key), this.gateway.CACHE_LOOKUP_TIMEOUT_MS);
  }

  /** The nearest stored prompt of the bucket, within the lookup bound. */
  async nearest(bucket: string, vector: readonly number[]): Promise<SemanticMatch | undefined> {
    if (!this.semantic || !this.store?.available) return undefined;
    return within(this.semantic.nearest(bucket, vector), this.gateway.CACHE_LOOKUP_TIMEOUT_MS);
  }

  /** Stores an answer after it was sent; a failure is logged, never seen by a client. */
  async put(key: string, entry: CachedEntry, ttlSeconds: number, semantic?: { bucket: string; vector: readonly number[] }): Promise<void> {
    const store = this.store;
    if (!store?.available) return;
    const size = JSON.stringify(entry.result).length;
    if (size > this.gateway.CACHE_MAX_ENTRY_BYTES) return;
    const write = async () => {
      await store.set(key, entry, ttlSeconds);
      if (semantic && this.semantic) await this.semantic.add(semantic.bucket, key, semantic.vector, ttlSeconds * 1000);
    };
    const stored = await within(write().then(() => true), this.gateway.CACHE_WRITE_TIMEOUT_MS);
    if (!stored) this.logger.warn({ cacheKey: key }, 'response cache: an answer could not be stored (backend down or slow)');
  }

  /**
   * The prompt's embedding from the configured embedding model group, through the router and a
   * worker like any request (retries, cooldowns, its own usage event under `<request id>-semantic`,
   * billed to the caller). Undefined when it fails or takes longer than the embedding timeout.
   */
  async embed(requestId: string, caller: Caller, text: string, traceparent?: string): Promise<PromptEmbedding | undefined> {
    const modelGroup = this.settings?.embeddingModel;
    if (!modelGroup) return undefined;
    const timeoutMs = Math.round((this.settings?.embeddingTimeoutSeconds ?? 2) * 1000);
    const trace: RouteTrace = { attemptedRetries: 0, attemptedFallbacks: 0, modelGroup };
    const call = async (): Promise<PromptEmbedding> => {
      const started = await this.router.execute(
        { modelGroup },
        (deployment, currentTrace) =>
          this.attempts.embed({ model: deployment.modelName, input: text }, deployment, currentTrace, { requestId: `${requestId}-semantic`, caller, connection: internalCall, traceparent, timeoutMs }),
        trace,
      );
      started.dispatch.finish();
      const frame = started.buffered[started.buffered.length - 1];
      if (frame?.kind !== 'result') throw new SwitchboardError('internal', 'The embedding call sent no result');
      const result = frame.result as EmbeddingResult;
      const vector = result.embeddings[0];
      if (!Array.isArray(vector) || vector.length === 0) throw new SwitchboardError('internal', 'The embedding call returned no vector');
      const tokens = result.usage.inputTokens;
      return {
        vector,
        usage: { inputTokens: { total: tokens, noCache: tokens, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 0, text: 0, reasoning: 0 } },
        modelGroup,
        deploymentId: started.deployment.id,
      };
    };
    const embedding = await within(
      call().catch((error: unknown) => {
        this.logger.warn({ requestId, err: { message: SwitchboardError.from(error).message } }, 'response cache: the prompt could not be embedded; the request goes upstream');
        throw error;
      }),
      timeoutMs,
    );
    return embedding;
  }

  async delete(keys: readonly string[]): Promise<number> {
    if (!this.store) return 0;
    return this.store.delete(keys);
  }

  async flush(): Promise<number> {
    if (!this.store) return 0;
    const deleted = await this.store.flush();
    this.semantic?.reset();
    return deleted;
  }

  async ping(): Promise<Record<string, unknown>> {
    if (!this.store) throw new SwitchboardError('upstream_unavailable', 'Cache not initialized: set litellm_settings.cache: true');
    return this.store.ping();
  }

  /** The settings as `/cache/ping` and `/health` show them: never the password. */
  describe(): Record<string, unknown> | undefined {
    const settings = this.settings;
    if (!settings) return undefined;
    return {
      type: settings.type,
      mode: settings.mode,
      scope: settings.scope,
      namespace: settings.namespace ?? null,
      ttl: settings.ttlSeconds ?? this.gateway.CACHE_DEFAULT_TTL_SECONDS,
      supported_call_types: [...settings.supportedCallTypes],
      ...(settings.type === 'local'
        ? {}
        : { host: settings.redis.host ?? redactedUrl(this.gateway.REDIS_URL), port: settings.redis.port ?? null, password: settings.redis.password ? '********' : null, ssl: settings.redis.ssl }),
      ...(settings.type === 'redis-semantic' ? { similarity_threshold: settings.similarityThreshold, redis_semantic_cache_embedding_model: settings.embeddingModel } : {}),
      lookup_timeout_ms: this.gateway.CACHE_LOOKUP_TIMEOUT_MS,
    };
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis?.disconnect();
  }
}

function redisOptions(gateway: GatewaySettings) {
  return {
    commandTimeout: Math.max(gateway.CACHE_WRITE_TIMEOUT_MS, gateway.REDIS_COMMAND_TIMEOUT_MS),
    connectTimeout: 1_000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: (times: number) => Math.min(100 * times, 1_000),
  };
}

/** REDIS_URL without its credentials. */
function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '********';
    return parsed.toString();
  } catch {
    return 'redis';
  }
}
