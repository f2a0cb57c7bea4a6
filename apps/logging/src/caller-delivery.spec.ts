import { describe, expect, it } from 'vitest';
import type { CallerLogging, UsageEventV1 } from '@switchboard/contracts';
import { retryDelayMs } from '@switchboard/messaging';
import type { CallbackDestination } from './callback-destination';
import { refusedDelivery } from './callback-destination';
import { resolveCallerLogging } from './caller-callbacks';
import { CallerDelivery } from './caller-delivery';
import type { HeldMessage } from './caller-delivery';

/** A destination whose answer the test decides: 'ok', an error to throw, or 'hang' (never answers). */
class FakeDestination implements CallbackDestination {
  readonly wants = 'all';
  readonly batches: string[][] = [];
  answer: 'ok' | 'hang' | Error = 'ok';
  constructor(readonly name: string) {}
  deliver(events: readonly UsageEventV1[]): Promise<void> {
    this.batches.push(events.map((event) => event.requestId));
    if (this.answer === 'hang') return new Promise(() => undefined);
    return this.answer === 'ok' ? Promise.resolve() : Promise.reject(this.answer);
  }
  get received(): string[] {
    return this.batches.flat();
  }
}

class FakeMessage implements HeldMessage {
  state: 'held' | 'acked' | { nakMs: number } = 'held';
  constructor(readonly seq: number) {}
  ack(): void {
    this.state = 'acked';
  }
  nak(delayMs: number): void {
    this.state = { nakMs: delayMs };
  }
}

const hook = (name: string, type: CallerLogging['callback_type'] = 'success_and_failure'): CallerLogging => ({
  callback_name: 'webhook',
  callback_type: type,
  callback_vars: { generic_logger_endpoint: `https://${name}.example.com/hook` },
});

function event(requestId: string, logging: CallerLogging[], status: UsageEventV1['status'] = 'success'): UsageEventV1 {
  return {
    v: 1,
    requestId,
    occurredAt: new Date().toISOString(),
    callType: 'chat',
    stream: false,
    status,
    provider: 'openai',
    modelGroup: 'g',
    deploymentId: 'd',
    upstreamModel: 'm',
    usage: { inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 1, text: 1, reasoning: 0 } },
    latencyMs: 5,
    caller: { keyAlias: requestId, logging },
  };
}

function setup(options: { maxRetrying?: number } = {}) {
  let now = 1_000_000;
  const destinations = new Map<string, FakeDestination>();
  const warnings: string[] = [];
  const delivery = new CallerDelivery({
    batchSize: 10,
    maxRetryingPerDestination: options.maxRetrying ?? 100,
    maxDestinations: 100,
    resolve: (entry) => resolveCallerLogging(entry, { environment: {}, environmentAllowlist: [], defaultLangfuseHost: 'https://cloud.langfuse.com' }),
    create: (target) => {
      const host = new URL(target.settings.kind === 'webhook' ? target.settings.endpoint : target.settings.host).hostname.split('.')[0];
      const destination = destinations.get(host) ?? new FakeDestination(host);
      destinations.set(host, destination);
      return destination;
    },
    warn: (_fields, message) => warnings.push(message),
    retryDelayMs: (failures) => retryDelayMs({ backoffMs: [1_000, 2_000, 4_000], maxDeliver: 10 }, failures),
    now: () => now,
  });
  const destination = (host: string) => {
    const found = destinations.get(host) ?? new FakeDestination(host);
    destinations.set(host, found);
    return found;
  };
  return { delivery, destination, warnings, advance: (ms: number) => (now += ms) };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('CallerDelivery', () => {
  it('acks an event only once its destination took it', async () => {
    const { delivery, destination } = setup();
    const team = destination('team');
    team.answer = 'hang';
    const message = new FakeMessage(1);
    delivery.accept(message, event('r1', [hook('team')]));
    await settle();
    expect(team.received).toEqual(['r1']);
    expect(message.state).toBe('held');
  });

  it('delivers to the caller’s destinations only, filtered by callback_type', async () => {
    const { delivery, destination } = setup();
    const messages = [new FakeMessage(1), new FakeMessage(2), new FakeMessage(3)];
    delivery.accept(messages[0], event('ok-a', [hook('a', 'success')]));
    delivery.accept(messages[1], event('failed-a', [hook('a', 'success')], 'error'));
    delivery.accept(messages[2], event('failed-b', [hook('b', 'failure')], 'cancelled'));
    await settle();
    expect(destination('a').received).toEqual(['ok-a']);
    expect(destination('b').received).toEqual(['failed-b']);
    expect(messages.map((message) => message.state)).toEqual(['acked', 'acked', 'acked']);
  });

  it('a destination that is down neither blocks nor loses another’s events; its own are put back with backoff', async () => {
    const { delivery, destination, warnings } = setup();
    destination('down').answer = new Error('connect ECONNREFUSED');
    const down = [new FakeMessage(1), new FakeMessage(2)];
    const up = [new FakeMessage(3), new FakeMessage(4)];
    delivery.accept(down[0], event('d1', [hook('down')]));
    delivery.accept(up[0], event('u1', [hook('up')]));
    delivery.accept(down[1], event('d2', [hook('down')]));
    delivery.accept(up[1], event('u2', [hook('up')]));
    await settle();
    expect(destination('up').received).toEqual(['u1', 'u2']);
    expect(up.map((message) => message.state)).toEqual(['acked', 'acked']);
    expect(down[0].state).toEqual({ nakMs: 1_000 });
    expect(down[1].state).toMatchObject({ nakMs: expect.any(Number) });
    expect(warnings).toContain('per-key or per-team callback delivery failed; will retry');
  });

  it('a destination that hangs does not hold up another', async () => {
    const { delivery, destination } = setup();
    destination('slow').answer = 'hang';
    const slow = new FakeMessage(1);
    const fast = new FakeMessage(2);
    delivery.accept(slow, event('s1', [hook('slow')]));
    delivery.accept(fast, event('f1', [hook('fast')]));
    await settle();
    expect(fast.state).toBe('acked');
    expect(slow.state).toBe('held');
  });

  it('while in backoff it is not called again; a redelivery after recovery reaches only the lane that missed it', async () => {
    const { delivery, destination, advance } = setup();
    const key = destination('key');
    const team = destination('team');
    team.answer = new Error('503');
    const first = new FakeMessage(7);
    delivery.accept(first, event('r7', [hook('key'), hook('team')]));
    await settle();
    expect(key.received).toEqual(['r7']);
    expect(first.state).toEqual({ nakMs: 1_000 });
    // JetStream redelivers early (or another event comes): still in backoff, no call, put back for the rest of it.
    advance(400);
    const early = new FakeMessage(7);
    delivery.accept(early, event('r7', [hook('key'), hook('team')]));
    await settle();
    expect(team.batches).toHaveLength(1);
    expect(early.state).toEqual({ nakMs: 600 });
    team.answer = 'ok';
    advance(600);
    const redelivered = new FakeMessage(7);
    delivery.accept(redelivered, event('r7', [hook('key'), hook('team')]));
    await settle();
    expect(team.received).toEqual(['r7', 'r7']);
    expect(key.received).toEqual(['r7']);
    expect(redelivered.state).toBe('acked');
  });

  it('drops what a destination refuses for good (bad keys) instead of retrying it', async () => {
    const { delivery, destination, warnings } = setup();
    destination('wrong').answer = refusedDelivery('Langfuse', 401);
    const message = new FakeMessage(1);
    delivery.accept(message, event('r1', [hook('wrong')]));
    await settle();
    expect(message.state).toBe('acked');
    expect(delivery.dropped).toBe(1);
    expect(warnings).toContain('per-key or per-team callback refused the events; dropped');
  });

  it('keeps at most maxRetryingPerDestination events of a destination that is down', async () => {
    const { delivery, destination } = setup({ maxRetrying: 2 });
    destination('down').answer = new Error('timeout');
    const messages = [1, 2, 3, 4].map((seq) => new FakeMessage(seq));
    for (const message of messages) delivery.accept(message, event(`r${message.seq}`, [hook('down')]));
    await settle();
    expect(messages.map((message) => (message.state === 'acked' ? 'acked' : 'retry'))).toEqual(['retry', 'retry', 'acked', 'acked']);
    expect(delivery.dropped).toBe(2);
  });

  it('acks events whose settings cannot be used, and says why once', async () => {
    const { delivery, warnings } = setup();
    const entry: CallerLogging = { callback_name: 'langfuse', callback_type: 'success', callback_vars: { langfuse_public_key: 'pk', langfuse_secret_key: 'os.environ/SECRET' } };
    const messages = [new FakeMessage(1), new FakeMessage(2)];
    delivery.accept(messages[0], event('r1', [entry]));
    delivery.accept(messages[1], event('r2', [entry]));
    await settle();
    expect(messages.map((message) => message.state)).toEqual(['acked', 'acked']);
    expect(warnings).toEqual(['per-key or per-team callback skipped']);
  });
});
