import { describe, expect, it } from 'vitest';
import type { GuardedLimitName } from './limit-rules';
import { allowsMore, expiresLater, keyTypeWithin, listsWithin, modelRestriction, modelsWithin } from './limit-rules';

describe('limit rules', () => {
  it.each<[GuardedLimitName, unknown, unknown, boolean]>([
    ['allowed_cache_controls', ['no-cache', 'ttl'], ['no-cache'], true],
    ['allowed_cache_controls', [], ['no-cache'], true],
    ['allowed_cache_controls', ['no-cache'], ['no-cache', 'ttl'], false],
    ['allowed_cache_controls', ['ttl'], [], false],
    ['max_budget', 11, 10, true],
    ['max_budget', 10, 10, false],
    ['max_budget', null, 10, true],
    ['max_budget', 0, 10, false],
    ['max_budget', 5, null, false],
    ['tpm_limit', 0, 100, true],
    ['rpm_limit', 0, null, false],
    ['max_parallel_requests', 3, 2, true],
    ['budget_duration', '1d', '30d', true],
    ['budget_duration', '60d', '30d', false],
    ['budget_duration', null, '30d', false],
    ['budget_duration', '30d', null, true],
    ['model_rpm_limit', { gpt: 6 }, { gpt: 5 }, true],
    ['model_rpm_limit', { gpt: 4, mini: 1 }, { gpt: 5 }, false],
    ['model_rpm_limit', { mini: 1 }, { gpt: 5 }, true],
    ['model_rpm_limit', null, { gpt: 5 }, true],
    ['model_rpm_limit', { gpt: 0 }, { gpt: 5 }, true],
    ['model_max_budget', { gpt: { budget_limit: 2, time_period: '1d' } }, { gpt: { budget_limit: 1, time_period: '1d' } }, true],
    ['model_max_budget', { gpt: { budget_limit: 1, time_period: '1h' } }, { gpt: { budget_limit: 1, time_period: '1d' } }, true],
    ['model_max_budget', { gpt: { budget_limit: 0.5, time_period: '7d' } }, { gpt: { budget_limit: 1, time_period: '1d' } }, false],
    ['model_max_budget', { gpt: { max_budget: 0.5, budget_duration: '1d' } }, { gpt: { budget_limit: 1, time_period: '1d' } }, false],
  ])('%s %j against %j allows more: %s', (name, candidate, reference, expected) => {
    expect(allowsMore(name, candidate, reference)).toBe(expected);
  });

  it('reads model lists as restrictions without the catalog', () => {
    expect(modelRestriction([])).toBeUndefined();
    expect(modelRestriction(['*'])).toBeUndefined();
    expect(modelRestriction(['all-team-models'])).toBeUndefined();
    expect(modelRestriction(['gpt', 'all-proxy-models'])).toBeUndefined();
    expect(modelsWithin(['gpt'], ['gpt', 'mini'])).toBe(true);
    expect(modelsWithin(['openai/gpt-4o'], ['openai/*'])).toBe(true);
    expect(modelsWithin(['openai/*'], ['openai/gpt-4o'])).toBe(false);
    expect(modelsWithin(['anything'], [])).toBe(true);
    expect(modelsWithin([], ['gpt'])).toBe(false);
    expect(modelsWithin(['*'], ['gpt'])).toBe(false);
    // An access group covers only itself: the auth service cannot see which models it holds.
    expect(modelsWithin(['mock-mini'], ['beta'])).toBe(false);
    expect(listsWithin([[], ['gpt']], ['gpt', 'mini'])).toBe(true);
    expect(listsWithin([[], []], ['gpt'])).toBe(false);
  });

  it('compares expiries and key types', () => {
    expect(expiresLater(null, '2030-01-01T00:00:00Z')).toBe(true);
    expect(expiresLater('2029-01-01T00:00:00Z', '2030-01-01T00:00:00Z')).toBe(false);
    expect(expiresLater('2029-01-01T00:00:00Z', null)).toBe(false);
    expect(keyTypeWithin('read_only', 'management')).toBe(true);
    expect(keyTypeWithin('llm_api', 'management')).toBe(false);
    expect(keyTypeWithin('default', 'llm_api')).toBe(false);
    expect(keyTypeWithin(undefined, 'read_only')).toBe(false);
    expect(keyTypeWithin('management', undefined)).toBe(true);
  });
});
