/**
 * Failed sign-ins per client address in a sliding window, per gateway instance: enough to make
 * guessing the UI password or a key through `/v2/login` slow, without a Redis round trip.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures = 10,
    private readonly windowMs = 5 * 60_000,
  ) {}

  /** Seconds until this address may try again, or 0. */
  retryAfterSeconds(address: string, now = Date.now()): number {
    const recent = this.recent(address, now);
    if (recent.length < this.maxFailures) return 0;
    return Math.max(1, Math.ceil((recent[0] + this.windowMs - now) / 1000));
  }

  recordFailure(address: string, now = Date.now()): void {
    const recent = this.recent(address, now);
    recent.push(now);
    this.failures.set(address, recent);
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value as string);
  }

  reset(address: string): void {
    this.failures.delete(address);
  }

  private recent(address: string, now: number): number[] {
    return (this.failures.get(address) ?? []).filter((at) => at > now - this.windowMs);
  }
}
