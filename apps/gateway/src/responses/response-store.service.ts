import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { ResponseRepository } from '@switchboard/data-access-responses';
import type { StoredResponse } from '@switchboard/data-access-responses';
import { GATEWAY_SETTINGS, REDIS } from '../bootstrap/tokens';
import type { GatewaySettings } from '../gateway-settings.schema';

const cacheSeconds = 3_600;

/**
 * Responses API conversation state: Postgres is the record (the responses repository, written
 * before the final event is sent, so a follow-up works at once on any instance), Redis a
 * read-through cache. A Redis failure only costs the cache.
 */
@Injectable()
export class ResponseStoreService {
  constructor(
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(ResponseRepository) private readonly repository: ResponseRepository,
  ) {}

  async save(stored: StoredResponse): Promise<void> {
    await this.repository.save(stored);
    await this.redis.set(this.key(stored.id), JSON.stringify(stored), 'EX', cacheSeconds).catch(() => undefined);
  }

  async find(id: string): Promise<StoredResponse | undefined> {
    const cached = await this.redis.get(this.key(id)).catch(() => null);
    if (cached) return JSON.parse(cached) as StoredResponse;
    const stored = await this.repository.find(id);
    if (stored) await this.redis.set(this.key(id), JSON.stringify(stored), 'EX', cacheSeconds).catch(() => undefined);
    return stored;
  }

  async delete(id: string, owner: string): Promise<boolean> {
    const deleted = await this.repository.delete(id, owner);
    await this.redis.del(this.key(id)).catch(() => undefined);
    return deleted;
  }

  private key(id: string): string {
    return `${this.settings.REDIS_KEY_PREFIX}response:${id}`;
  }
}
