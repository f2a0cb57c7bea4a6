import { LRUCache } from 'lru-cache';
import type { Redis } from 'ioredis';
import type { CachedEntry } from './cached-answer';

/** Where entries live: each gateway's memory (`local`) or Redis, shared by every instance (`redis`, `redis-semantic`). */
export interface CacheStore {
  readonly kind: 'local' | 'redis';
  /** False while the backend is unreachable: lookups are skipped at once rather than waited for. */
  readonly available: boolean;
  get(key: string): Promise<CachedEntry | undefined>;
  set(key: string, entry: CachedEntry, ttlSeconds: number | undefined): Promise<void>;
  delete(keys: readonly string[]): Promise<number>;
  /** Removes every entry of this cache (never anything else in the same Redis). */
  flush(): Promise<number>;
  /** Round trip to the backend; throws when it is down. */
  ping(): Promise<Record<string, unknown>>;
}

/** Default bounds of the local cache (LiteLLM's in-memory cache keeps 200 items of at most 1 MB; bytes bound it here). */
export interface LocalStoreOptions {
  maxBytes: number;
  defaultTtlSeconds: number;
}

export class LocalCacheStore implements CacheStore {
  readonly kind = 'local';
  readonly available = true;
  private readonly entries: LRUCache<string, CachedEntry>;

  constructor(private readonly options: LocalStoreOptions) {
    this.entries = new LRUCache<string, CachedEntry>({
      maxSize: options.maxBytes,
      sizeCalculation: (entry) => Math.max(1, JSON.stringify(entry.result).length),
      ttl: options.defaultTtlSeconds * 1000,
      ttlAutopurge: false,
    });
  }

  async get(key: string): Promise<CachedEntry | undefined> {
    return this.entries.get(key);
  }

  async set(key: string, entry: CachedEntry, ttlSeconds: number | undefined): Promise<void> {
    this.entries.set(key, entry, { ttl: (ttlSeconds ?? this.options.defaultTtlSeconds) * 1000 });
  }

  async delete(keys: readonly string[]): Promise<number> {
    let deleted = 0;
    for (const key of keys) if (this.entries.delete(key)) deleted += 1;
    return deleted;
  }

  async flush(): Promise<number> {
    const size = this.entries.size;
    this.entries.clear();
    return size;
  }

  async ping(): Promise<Record<string, unknown>> {
    return { entries: this.entries.size, bytes: this.entries.calculatedSize };
  }
}

/**
 * Entries in Redis under `<REDIS_KEY_PREFIX>cache:<key>`, JSON, with the entry's ttl as the key's
 * expiry: every gateway instance reads what another stored. Commands fail at once while Redis is
 * disconnected (no offline queue), and the client reconnects by itself, so caching resumes when
 * Redis is back.
 */
export class RedisCacheStore implements CacheStore {
  readonly kind = 'redis';

  constructor(
    readonly redis: Redis,
    private readonly prefix: string,
    private readonly defaultTtlSeconds: number | undefined,
  ) {}

  get available(): boolean {
    return this.redis.status === 'ready';
  }

  redisKey(key: string): string {
    return `${this.prefix}cache:${key}`;
  }

  async get(key: string): Promise<CachedEntry | undefined> {
    const text = await this.redis.get(this.redisKey(key));
    return text === null ? undefined : (JSON.parse(text) as CachedEntry);
  }

  async set(key: string, entry: CachedEntry, ttlSeconds: number | undefined): Promise<void> {
    const ttl = ttlSeconds ?? this.defaultTtlSeconds;
    const text = JSON.stringify(entry);
    if (ttl === undefined) await this.redis.set(this.redisKey(key), text);
    else await this.redis.set(this.redisKey(key), text, 'PX', Math.max(1, Math.round(ttl * 1000)));
  }

  async delete(keys: readonly string[]): Promise<number> {
    if (keys.length === 0) return 0;
    return this.redis.del(...keys.map((key) => this.redisKey(key)));
  }

  async flush(): Promise<number> {
    const pattern = `${this.prefix.replace(/[*?[\]\\]/g, '\\$&')}cache:*`;
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      cursor = next;
      if (keys.length) deleted += await this.redis.unlink(...keys);
    } while (cursor !== '0');
    return deleted;
  }

  async ping(): Promise<Record<string, unknown>> {
    const pong = await this.redis.ping();
    const info = await this.redis.info('server');
    const version = /redis_version:([^\r\n]+)/.exec(info)?.[1];
    return { ping_response: pong === 'PONG', redis_version: version };
  }
}
