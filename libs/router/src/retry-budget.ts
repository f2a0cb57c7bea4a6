/**
 * Caps retries at a share of recent requests (Envoy's retry budget), so an outage cannot turn
 * into a retry storm: over the last `windowSeconds`, retries may be at most `ratio` x requests,
 * with a small floor so a quiet instance can still retry. Counted in one-second buckets: O(1).
 */
export class RetryBudget {
  private readonly requests: number[];
  private readonly retries: number[];
  private currentSecond = 0;

  constructor(
    private readonly ratio: number,
    private readonly floor = 10,
    private readonly windowSeconds = 10,
  ) {
    this.requests = new Array<number>(windowSeconds).fill(0);
    this.retries = new Array<number>(windowSeconds).fill(0);
  }

  recordRequest(now = Date.now()): void {
    this.advance(now);
    this.requests[this.currentSecond % this.windowSeconds] += 1;
  }

  /** Takes one retry from the budget; false when the budget is spent. */
  tryRetry(now = Date.now()): boolean {
    this.advance(now);
    const requests = this.requests.reduce((sum, value) => sum + value, 0);
    const retries = this.retries.reduce((sum, value) => sum + value, 0);
    if (retries >= Math.max(this.floor, requests * this.ratio)) return false;
    this.retries[this.currentSecond % this.windowSeconds] += 1;
    return true;
  }

  private advance(now: number): void {
    const second = Math.floor(now / 1000);
    if (second === this.currentSecond) return;
    const steps = Math.min(this.windowSeconds, Math.max(0, second - this.currentSecond));
    for (let step = 1; step <= steps; step += 1) {
      const index = (this.currentSecond + step) % this.windowSeconds;
      this.requests[index] = 0;
      this.retries[index] = 0;
    }
    this.currentSecond = second;
  }
}
