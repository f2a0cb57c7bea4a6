import { describe, expect, it } from 'vitest';
import { budgetSubjects, providerQueueGroup, providerSubjects, streamName, subjectNamespace, usageSubjects } from './subjects';

describe('subjects', () => {
  const namespace = subjectNamespace('sb');

  it('builds versioned command and event subjects', () => {
    expect(providerSubjects.chat(namespace, 'hosted_vllm')).toBe('sb.provider.cmd.chat.v1.hosted_vllm');
    expect(providerSubjects.cancel(namespace)).toBe('sb.provider.cmd.cancel.v1');
    expect(usageSubjects.recorded(namespace, 'plain')).toBe('sb.usage.evt.recorded.v1.plain');
    expect(usageSubjects.recorded(namespace, 'logged')).toBe('sb.usage.evt.recorded.v1.logged');
    expect(usageSubjects.recordedAll(namespace)).toBe('sb.usage.evt.recorded.v1.>');
    expect(providerQueueGroup('openai')).toBe('worker-openai');
    expect(budgetSubjects.periodSpend(namespace)).toBe('sb.budget.cmd.period_spend.v1');
  });

  it('refuses tokens that would break the subject (model ids contain dots)', () => {
    expect(() => providerSubjects.chat(namespace, 'gpt-4.1')).toThrow(/Invalid routing key/);
    expect(() => subjectNamespace('a b')).toThrow(/Invalid subject prefix/);
  });

  it('derives JetStream stream names without dots', () => {
    expect(streamName(subjectNamespace('t1a2.x-y'), 'USAGE')).toBe('T1A2_X_Y_USAGE');
  });
});
