import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import type { ConsumerConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';

/**
 * How often a durable consumer's messages are delivered, and for how long, written into the consumer's
 * own config so that the server enforces it (`nats consumer info` shows it):
 *
 * - `backoffMs`: delivery n may stay unacknowledged for `backoffMs[n - 1]` (the last entry repeats),
 *   then the server delivers it again. A consumer that fails a delivery leaves it unacknowledged, so a
 *   failure and a crash are retried on this one schedule, kept by the server. (Not `nak(delay)`: with a
 *   backoff list, nats-server 2.9 computes a nak's delay from the first entry, and a message nak'd on
 *   its second delivery came back after 0.2 s instead of 0.7 s.) The server takes the first entry as
 *   the ack wait, so every entry must be longer than one delivery takes to process.
 * - `maxDeliver`: deliveries before the server gives up on a message. It then fires the
 *   `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES` advisory, and the owner parks the message in the
 *   dead-letter stream (`watchMaxDeliveries`). The server requires it to exceed the list's length.
 */
export interface ConsumerPolicy {
  readonly backoffMs: readonly number[];
  readonly maxDeliver: number;
}

export interface DurableConsumerOptions {
  durable: string;
  filterSubject: string;
  policy: ConsumerPolicy;
  maxAckPending?: number;
}

/** The problem with a policy, naming the settings it came from, or undefined when it is valid. */
export function consumerPolicyProblem(policy: ConsumerPolicy, names: { backoff: string; maxDeliver: string }): string | undefined {
  if (policy.backoffMs.length === 0) return `${names.backoff}: at least one delay is required`;
  if (policy.backoffMs.some((delay) => !Number.isFinite(delay) || delay < 100)) return `${names.backoff}: every delay must be at least 0.1 s`;
  if (!Number.isInteger(policy.maxDeliver) || policy.maxDeliver <= policy.backoffMs.length) {
    return `${names.maxDeliver} must be an integer greater than the number of delays in ${names.backoff} (${policy.backoffMs.length}), as nats-server requires`;
  }
  return undefined;
}

/** A comma-separated list of seconds (`5,30,60`, decimals allowed) as milliseconds; undefined when malformed. */
export function parseBackoffSeconds(text: string): number[] | undefined {
  const parts = text.split(',').map((part) => part.trim());
  if (parts.length === 0 || parts.some((part) => !/^\d+(\.\d+)?$/.test(part))) return undefined;
  return parts.map((part) => Math.round(Number(part) * 1_000));
}

/** The config of an explicitly acknowledged durable consumer with the policy's `backoff` and `max_deliver`. */
export function durableConsumerConfig(options: DurableConsumerOptions): Partial<ConsumerConfig> {
  return {
    durable_name: options.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: options.filterSubject,
    // The server sets ack_wait to backoff[0] anyway; saying so keeps `consumer info` honest on every version.
    ack_wait: nanos(options.policy.backoffMs[0]),
    backoff: options.policy.backoffMs.map((delay) => nanos(delay)),
    max_deliver: options.policy.maxDeliver,
    ...(options.maxAckPending ? { max_ack_pending: options.maxAckPending } : {}),
  };
}

/** When delivery number `deliveryCount`, left unacknowledged, comes back: the schedule's entry for it. */
export function retryDelayMs(policy: ConsumerPolicy, deliveryCount: number): number {
  const index = Math.min(Math.max(deliveryCount, 1), policy.backoffMs.length) - 1;
  return policy.backoffMs[index];
}

/** True on the delivery after which the server gives up: a failure now must park the message itself. */
export function isLastDelivery(policy: ConsumerPolicy, deliveryCount: number): boolean {
  return deliveryCount >= policy.maxDeliver;
}

/**
 * What a failure means for the message that caused it:
 * - `permanent`: this message can never succeed (invalid, or a value the store refuses): dead-letter it
 *   now, with the reason;
 * - `transient`: the infrastructure is away (a lost connection): the message is fine, retry it without
 *   counting it against the message;
 * - `unknown`: anything else: retry on the policy's schedule, and park it when `maxDeliver` is reached.
 */
export type FailureKind = 'permanent' | 'transient' | 'unknown';

export interface ClassifiedFailure {
  kind: FailureKind;
  /** Why, in words an operator reads in the dead-letter stream (no secrets: error messages only). */
  reason: string;
}
