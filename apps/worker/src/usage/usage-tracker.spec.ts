import { describe, expect, it } from 'vitest';
import { SwitchboardError } from '@switchboard/spec';
import { UsageTracker } from './usage-tracker';

const call = {
  requestId: 'req_1',
  callType: 'chat' as const,
  stream: true,
  provider: 'openai',
  modelGroup: 'gpt',
  deploymentId: 'd1',
  upstreamModel: 'gpt-4o',
  receivedAt: Date.now() - 50,
  workerId: 'w1',
  attempt: 1,
};
const prompt = { model: 'gpt', messages: [{ role: 'user' as const, content: 'a question of some length' }] };

describe('UsageTracker', () => {
  it('uses the provider usage when it arrived', () => {
    const tracker = new UsageTracker(call, prompt);
    tracker.observe({ type: 'response-metadata', id: 'chatcmpl-9', model: 'gpt-4o-2024' });
    tracker.observe({ type: 'text-delta', index: 0, delta: 'hello' });
    tracker.observe({ type: 'finish', index: 0, finishReason: { unified: 'stop', raw: 'stop' } });
    tracker.observe({
      type: 'usage',
      usage: { inputTokens: { total: 9, noCache: 9, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 2, text: 2, reasoning: 0 } },
    });
    const event = tracker.event();
    expect(event).toMatchObject({ status: 'success', responseId: 'chatcmpl-9', finishReason: 'stop', workerId: 'w1' });
    expect(event.usage.inputTokens.total).toBe(9);
    expect(event.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
  });

  it('bills a cancelled stream for what was delivered, flagged as estimated', () => {
    const tracker = new UsageTracker(call, prompt);
    tracker.observe({ type: 'text-delta', index: 0, delta: 'x'.repeat(40) });
    tracker.failed(new SwitchboardError('cancelled', 'gone'));
    const event = tracker.event();
    expect(event.status).toBe('cancelled');
    expect(event.usage.outputTokens.total).toBe(10);
    expect(event.usage.inputTokens.total).toBeGreaterThan(0);
    expect(event.usage.raw).toEqual({ estimated: true });
  });

  it('bills nothing for a call that failed before any output, and leaves the request event to the gateway', () => {
    const tracker = new UsageTracker(call, prompt);
    tracker.failed(new SwitchboardError('upstream_error', 'boom'));
    const event = tracker.event();
    expect(event).toMatchObject({ status: 'error', errorCode: 'upstream_error' });
    expect(event.usage.inputTokens.total + event.usage.outputTokens.total).toBe(0);
    expect(tracker.eventToPublish()).toBeUndefined();
  });

  it('publishes a billed failed attempt under its own message id', () => {
    const tracker = new UsageTracker({ ...call, attempt: 2 }, prompt);
    tracker.observe({
      type: 'usage',
      usage: { inputTokens: { total: 5, noCache: 5, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 0, text: 0, reasoning: 0 } },
    });
    tracker.failed(new SwitchboardError('upstream_timeout', 'slow'));
    expect(tracker.eventToPublish()).toMatchObject({ billedAttemptOnly: true, attempt: 2 });
  });
});
