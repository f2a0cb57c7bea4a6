const remembered = 10_000;

/**
 * The last failure of each message a consumer sent back for retry, by durable and stream sequence, so
 * that a message the server gives up on (MAX_DELIVERIES advisory) is parked with a reason. Bounded.
 */
export class FailureMemory {
  private readonly reasons = new Map<string, string>();

  remember(durable: string, streamSeq: number, reason: string): void {
    const key = `${durable}:${streamSeq}`;
    this.reasons.delete(key);
    if (this.reasons.size >= remembered) this.reasons.delete(this.reasons.keys().next().value as string);
    this.reasons.set(key, reason);
  }

  take(durable: string, streamSeq: number): string | undefined {
    const key = `${durable}:${streamSeq}`;
    const reason = this.reasons.get(key);
    this.reasons.delete(key);
    return reason;
  }
}
