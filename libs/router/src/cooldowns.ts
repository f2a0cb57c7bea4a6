/**
 * Shared routing state. The gateway implements it with Redis and a NATS broadcast so every
 * instance sees the same failures and cooldowns; the in-process SDK uses the memory store.
 */
export interface RouterStateStore {
  /** Counts one failure of the deployment; resolves with its failures within the window. */
  recordFailure(deploymentId: string, windowMs: number): Promise<number>;
  /** Announces a cooldown until `untilMs` (epoch ms) to every instance, this one included. */
  startCooldown(deploymentId: string, untilMs: number): Promise<void>;
}

/** This instance's view of which deployments are cooling down, and until when. */
export class CooldownRegistry {
  private readonly until = new Map<string, number>();

  apply(deploymentId: string, untilMs: number): void {
    const current = this.until.get(deploymentId) ?? 0;
    if (untilMs > current) this.until.set(deploymentId, untilMs);
  }

  clear(deploymentId: string): void {
    this.until.delete(deploymentId);
  }

  isCooling(deploymentId: string, now = Date.now()): boolean {
    const until = this.until.get(deploymentId);
    if (until === undefined) return false;
    if (until <= now) {
      this.until.delete(deploymentId);
      return false;
    }
    return true;
  }

  remainingMs(deploymentId: string, now = Date.now()): number {
    return Math.max(0, (this.until.get(deploymentId) ?? 0) - now);
  }

  snapshot(now = Date.now()): Array<{ deploymentId: string; remainingMs: number }> {
    return [...this.until.entries()]
      .filter(([, until]) => until > now)
      .map(([deploymentId, until]) => ({ deploymentId, remainingMs: until - now }));
  }
}

/** Failures and cooldowns kept in this process only (the SDK, tests, a single instance). */
export class MemoryRouterStateStore implements RouterStateStore {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly cooldowns: CooldownRegistry) {}

  async recordFailure(deploymentId: string, windowMs: number): Promise<number> {
    const now = Date.now();
    const recent = (this.failures.get(deploymentId) ?? []).filter((time) => time > now - windowMs);
    recent.push(now);
    this.failures.set(deploymentId, recent);
    return recent.length;
  }

  async startCooldown(deploymentId: string, untilMs: number): Promise<void> {
    this.failures.delete(deploymentId);
    this.cooldowns.apply(deploymentId, untilMs);
  }
}
