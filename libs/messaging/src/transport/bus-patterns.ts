/**
 * The extras of `@MessagePattern` / `@EventPattern` that the bus transport reads.
 * `@MessagePattern(busPatterns.authVerifyKey, { queue: authQueueGroup })`.
 */
export interface BusPatternExtras {
  /** The queue group; a function of the routing key for routed patterns. Omitted: every instance gets every message. */
  queue?: string | ((routingKey: string) => string);
  /** A routed pattern: one subscription per key of this set, given to the transport (`routingKeys`). */
  routedBy?: string;
  /** An event read from a JetStream durable consumer of this name (its settings given to the transport). */
  consumer?: string;
  /** The handler's reply sends heartbeats while silent (the transport's `heartbeatMs`), for the caller's liveness check. */
  heartbeat?: boolean;
}
