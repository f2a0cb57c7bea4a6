import { describe, expect, it } from 'vitest';
import { consumerPolicyProblem, durableConsumerConfig, isLastDelivery, parseBackoffSeconds, retryDelayMs } from './consumer-policy';

const policy = { backoffMs: [10_000, 30_000, 60_000], maxDeliver: 6 };
const names = { backoff: 'USAGE_BACKOFF_SECONDS', maxDeliver: 'USAGE_MAX_DELIVERIES' };

describe('consumer policy', () => {
  it('writes max_deliver and the backoff list (nanoseconds) into the consumer config; the ack wait is the first entry', () => {
    expect(durableConsumerConfig({ durable: 'budget-ledger', filterSubject: 'sb.usage.evt.recorded.v1', policy, maxAckPending: 1_000 })).toEqual({
      durable_name: 'budget-ledger',
      ack_policy: 'explicit',
      deliver_policy: 'all',
      filter_subject: 'sb.usage.evt.recorded.v1',
      ack_wait: 10_000_000_000,
      backoff: [10_000_000_000, 30_000_000_000, 60_000_000_000],
      max_deliver: 6,
      max_ack_pending: 1_000,
    });
  });

  it.each([
    [1, 10_000],
    [2, 30_000],
    [3, 60_000],
    [9, 60_000],
  ])('delivery %i comes back after %i ms (the last entry repeats)', (delivery, delay) => {
    expect(retryDelayMs(policy, delivery)).toBe(delay);
  });

  it('knows the last delivery', () => {
    expect(isLastDelivery(policy, 5)).toBe(false);
    expect(isLastDelivery(policy, 6)).toBe(true);
  });

  it.each([
    ['10,30,60', [10_000, 30_000, 60_000]],
    [' 0.5 , 2 ', [500, 2_000]],
    ['', undefined],
    ['10,,30', undefined],
    ['10s', undefined],
    ['-1', undefined],
  ])('parses the seconds list %j', (text, expected) => {
    expect(parseBackoffSeconds(text)).toEqual(expected);
  });

  it('refuses what nats-server would refuse, naming the setting', () => {
    expect(consumerPolicyProblem(policy, names)).toBeUndefined();
    expect(consumerPolicyProblem({ backoffMs: [10_000, 30_000], maxDeliver: 2 }, names)).toMatch(/^USAGE_MAX_DELIVERIES must be an integer greater than the number of delays in USAGE_BACKOFF_SECONDS \(2\)/);
    expect(consumerPolicyProblem({ backoffMs: [], maxDeliver: 5 }, names)).toMatch(/^USAGE_BACKOFF_SECONDS: at least one delay/);
    expect(consumerPolicyProblem({ backoffMs: [50], maxDeliver: 5 }, names)).toMatch(/^USAGE_BACKOFF_SECONDS: every delay must be at least 0.1 s/);
  });
});
