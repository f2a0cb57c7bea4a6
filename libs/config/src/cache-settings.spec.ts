import { describe, expect, it } from 'vitest';
import { parseCacheSettings } from './cache-settings';

const parse = (settings: Record<string, unknown>, environment: Record<string, string> = {}) => parseCacheSettings(settings, environment, 'config.yaml');

describe('litellm_settings.cache', () => {
  it('is off unless cache: true', () => {
    expect(parse({})).toBeUndefined();
    expect(parse({ cache: false, cache_params: { type: 'redis' } })).toBeUndefined();
  });

  it("cache: true alone is LiteLLM's Redis cache, Redis from REDIS_HOST / REDIS_PORT / REDIS_PASSWORD", () => {
    expect(parse({ cache: true }, { REDIS_HOST: 'cache.internal', REDIS_PORT: '6380', REDIS_PASSWORD: 'pw' })).toMatchObject({
      type: 'redis',
      mode: 'default_on',
      scope: 'global',
      redis: { host: 'cache.internal', port: 6380, password: 'pw' },
    });
    expect(parse({ cache: true })?.supportedCallTypes).toEqual(new Set(['chat', 'embeddings', 'responses', 'messages']));
  });

  it('reads every documented key, os.environ references included', () => {
    const settings = parse(
      { cache: true, cache_params: { type: 'redis', host: 'h', port: '7000', password: 'os.environ/CACHE_PW', ttl: 60, namespace: 'ns', mode: 'default_off', scope: 'team', supported_call_types: ['acompletion', 'atext_completion'] } },
      { CACHE_PW: 'secret' },
    );
    expect(settings).toMatchObject({ ttlSeconds: 60, namespace: 'ns', mode: 'default_off', scope: 'team', redis: { host: 'h', port: 7000, password: 'secret' }, unservedCallTypes: ['atext_completion'] });
    expect(settings?.supportedCallTypes).toEqual(new Set(['chat']));
    expect(parse({ cache: true, cache_params: { type: 'local', ttl: 60, default_in_memory_ttl: 5 } })?.ttlSeconds).toBe(5);
    expect(parse({ cache: true, cache_params: { type: 'redis-semantic', similarity_threshold: 0.8, redis_semantic_cache_embedding_model: 'emb' } })).toMatchObject({ scope: 'key', similarityThreshold: 0.8, embeddingModel: 'emb' });
  });

  it.each([
    [{ type: 'disk' }, "litellm_settings.cache_params.type: 'disk' is not supported"],
    [{ type: 'qdrant-semantic' }, "'qdrant-semantic' is not supported"],
    [{ type: 'memcached' }, "'memcached' is not a cache type"],
    [{ redis_startup_nodes: [] }, 'litellm_settings.cache_params.redis_startup_nodes: Redis Cluster is not supported'],
    [{ s3_bucket_name: 'b' }, 'litellm_settings.cache_params.s3_bucket_name'],
    [{ typo_key: 1 }, 'litellm_settings.cache_params.typo_key'],
    [{ type: 'redis-semantic', similarity_threshold: 0.8 }, 'redis_semantic_cache_embedding_model: is required'],
    [{ type: 'redis', similarity_threshold: 0.8 }, 'similarity_threshold: only applies to type redis-semantic'],
    [{ type: 'local', host: 'h' }, 'host: only applies to a Redis cache'],
    [{ supported_call_types: ['chat'] }, "'chat' is not a call type"],
    [{ password: 'os.environ/MISSING' }, 'MISSING, which is not set'],
  ])('refuses %j at start, naming it', (params, message) => {
    expect(() => parse({ cache: true, cache_params: params })).toThrow(message);
  });
});
