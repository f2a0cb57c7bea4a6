import type { NatsConnection } from '@nats-io/transport-node';
import type { Redis } from 'ioredis';
import { routerSubjects } from '@switchboard/contracts';
import type { SubjectNamespace } from '@switchboard/contracts';
import { decodeJson, encodeJson } from '@switchboard/messaging';
import type { CooldownRegistry, RouterStateStore } from '@switchboard/router';

interface CooldownEvent {
  v: 1;
  deploymentId: string;
  untilMs: number;
}

/**
 * Failure counts in Redis (one INCR per failure, shared by every gateway instance), cooldowns
 * announced on NATS so every instance's local registry is updated at once and the request path
 * reads only memory. Cooldowns are also written to Redis for instances that start later.
 */
export class RedisRouterStateStore implements RouterStateStore {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly connection: NatsConnection,
    private readonly namespace: SubjectNamespace,
    private readonly cooldowns: CooldownRegistry,
  ) {}

  /** Applies cooldowns announced by any instance, and the ones already in Redis. */
  async listen(): Promise<void> {
    this.connection.subscribe(routerSubjects.cooldown(this.namespace), {
      callback: (error, message) => {
        if (error) return;
        const event = decodeJson<CooldownEvent>(message.data);
        if (event.v === 1 && typeof event.deploymentId === 'string') this.cooldowns.apply(event.deploymentId, event.untilMs);
      },
    });
    try {
      await this.redisReady(2_000);
      let cursor = '0';
      do {
        const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.keyPrefix}router:cooldown:*`, 'COUNT', 200);
        cursor = next;
        if (keys.length === 0) continue;
        const values = await this.redis.mget(...keys);
        keys.forEach((key, index) => {
          const until = Number(values[index]);
          if (Number.isFinite(until)) this.cooldowns.apply(key.slice(`${this.keyPrefix}router:cooldown:`.length), until);
        });
      } while (cursor !== '0');
    } catch {
      // Redis unavailable at boot: cooldowns arrive by broadcast from now on.
    }
  }

  private redisReady(timeoutMs: number): Promise<void> {
    if (this.redis.status === 'ready') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.redis.off('ready', onReady);
        reject(new Error('Redis not ready'));
      }, timeoutMs);
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      this.redis.once('ready', onReady);
    });
  }

  async recordFailure(deploymentId: string, windowMs: number): Promise<number> {
    const key = `${this.keyPrefix}router:fails:${deploymentId}`;
    const result = await this.redis.multi().incr(key).pexpire(key, windowMs, 'NX').exec();
    const count = result?.[0]?.[1];
    return typeof count === 'number' ? count : 1;
  }

  async startCooldown(deploymentId: string, untilMs: number): Promise<void> {
    this.cooldowns.apply(deploymentId, untilMs);
    const event: CooldownEvent = { v: 1, deploymentId, untilMs };
    this.connection.publish(routerSubjects.cooldown(this.namespace), encodeJson(event));
    const ttl = Math.max(1, untilMs - Date.now());
    await this.redis
      .multi()
      .set(`${this.keyPrefix}router:cooldown:${deploymentId}`, String(untilMs), 'PX', ttl)
      .del(`${this.keyPrefix}router:fails:${deploymentId}`)
      .exec();
  }
}
