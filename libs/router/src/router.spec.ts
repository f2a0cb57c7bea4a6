import { describe, expect, it } from 'vitest';
import { parseConfig } from '@switchboard/config';
import type { ModelDeployment } from '@switchboard/config';
import { SwitchboardError } from '@switchboard/spec';
import { Router } from './router';
import type { AttemptOutcome } from './router';
import { routerSettingsFrom } from './router-settings';

function routerFor(yaml: string, overrides: Partial<ReturnType<typeof routerSettingsFrom>> = {}) {
  const config = parseConfig(yaml, 'test.yaml', { environment: {} });
  const slept: number[] = [];
  const router = new Router({
    deployments: () => config.modelList,
    settings: { ...routerSettingsFrom(config), ...overrides },
    sleep: async (milliseconds) => {
      slept.push(milliseconds);
    },
  });
  return { router, slept };
}

const ok = <T>(value: T): AttemptOutcome<T> => ({ ok: true, value });
const fail = (error: SwitchboardError, outputStarted = false): AttemptOutcome<never> => ({ ok: false, error, outputStarted });

const twoDeployments = `
model_list:
  - model_name: g
    litellm_params: { model: openai/a, weight: 1 }
    model_info: { id: a }
  - model_name: g
    litellm_params: { model: openai/b, weight: 3 }
    model_info: { id: b }
  - model_name: backup
    litellm_params: { model: openai/c }
    model_info: { id: c, max_input_tokens: 100000 }
  - model_name: small
    litellm_params: { model: openai/s }
    model_info: { id: s, max_input_tokens: 100 }
router_settings:
  num_retries: 2
  allowed_fails: 2
  cooldown_time: 30
  fallbacks: [{ g: [backup] }]
  context_window_fallbacks: [{ small: [backup] }]
`;

describe('Router', () => {
  it('spreads load by weight within a few percent over 1,000 requests', async () => {
    const { router } = routerFor(twoDeployments);
    const counts: Record<string, number> = { a: 0, b: 0 };
    for (let index = 0; index < 1_000; index += 1) {
      await router.execute({ modelGroup: 'g' }, async (deployment) => {
        counts[deployment.id] += 1;
        return ok(null);
      });
    }
    expect(counts.b / 1_000).toBeGreaterThan(0.7);
    expect(counts.b / 1_000).toBeLessThan(0.8);
  });

  it('retries a failed attempt on another deployment, up to 1 + num_retries attempts', async () => {
    const { router } = routerFor(twoDeployments, { fallbacks: new Map() });
    const attempts: string[] = [];
    const trace = { attemptedRetries: 0, attemptedFallbacks: 0, modelGroup: 'g' };
    await expect(
      router.execute({ modelGroup: 'g' }, async (deployment) => {
        attempts.push(deployment.id);
        return fail(new SwitchboardError('upstream_error', 'boom'));
      }, trace),
    ).rejects.toMatchObject({ code: 'upstream_error' });
    expect(attempts.length).toBeLessThanOrEqual(3);
    expect(new Set(attempts.slice(0, 2))).toEqual(new Set(['a', 'b']));
    expect(trace.attemptedRetries).toBe(attempts.length - 1);
  });

  it('never retries or falls back once output has started', async () => {
    const { router } = routerFor(twoDeployments);
    let attempts = 0;
    await expect(
      router.execute({ modelGroup: 'g' }, async () => {
        attempts += 1;
        return fail(new SwitchboardError('upstream_error', 'cut'), true);
      }),
    ).rejects.toMatchObject({ code: 'upstream_error' });
    expect(attempts).toBe(1);
  });

  it('falls back to the configured group when the primary fails', async () => {
    const { router } = routerFor(twoDeployments, { numRetries: 0 });
    const trace = { attemptedRetries: 0, attemptedFallbacks: 0, modelGroup: 'g' };
    const served = await router.execute({ modelGroup: 'g' }, async (deployment) =>
      deployment.modelName === 'g' ? fail(new SwitchboardError('upstream_unavailable', 'down')) : ok(deployment.id),
    trace);
    expect(served).toBe('c');
    expect(trace).toMatchObject({ attemptedFallbacks: 1, modelGroup: 'backup' });
  });

  it('honours disable_fallbacks and per-request fallbacks', async () => {
    const { router } = routerFor(twoDeployments, { numRetries: 0 });
    const failing = async (deployment: ModelDeployment) =>
      deployment.modelName === 'g' ? fail(new SwitchboardError('upstream_error', 'down')) : ok(deployment.id);
    await expect(router.execute({ modelGroup: 'g', disableFallbacks: true }, failing)).rejects.toMatchObject({ code: 'upstream_error' });
    expect(await router.execute({ modelGroup: 'g', fallbacks: ['small'] }, failing)).toBe('s');
  });

  it('skips a fallback group the caller may not use (allowFallback) and answers with the original error', async () => {
    const { router } = routerFor(twoDeployments, { numRetries: 0 });
    const called: string[] = [];
    const failing = async (deployment: ModelDeployment) => {
      called.push(deployment.modelName);
      return deployment.modelName === 'g' ? fail(new SwitchboardError('upstream_error', 'down')) : ok(deployment.id);
    };
    await expect(router.execute({ modelGroup: 'g', allowFallback: (group) => group !== 'backup' }, failing)).rejects.toMatchObject({ code: 'upstream_error' });
    expect(called).toEqual(['g']);
    expect(await router.execute({ modelGroup: 'g', allowFallback: () => true }, failing)).toBe('c');
  });

  it('sends a prompt too long for the model to the context-window fallback without calling it', async () => {
    const { router } = routerFor(twoDeployments);
    const called: string[] = [];
    const served = await router.execute({ modelGroup: 'small', promptTokens: 5_000 }, async (deployment) => {
      called.push(deployment.id);
      return ok(deployment.id);
    });
    expect(served).toBe('c');
    expect(called).toEqual(['c']);
  });

  it('rests a deployment after allowed_fails and routes around it until the cooldown ends', async () => {
    const { router } = routerFor(twoDeployments, { numRetries: 0, fallbacks: new Map() });
    for (let index = 0; index < 2; index += 1) {
      await router.execute({ modelGroup: 'g' }, async (deployment) =>
        deployment.id === 'a' ? fail(new SwitchboardError('upstream_error', 'bad')) : ok(null),
      ).catch(() => undefined);
    }
    // `a` may not have been picked twice by chance; force its failures through the store instead.
    while (!router.cooldowns.isCooling('a')) {
      await router.execute({ modelGroup: 'g', tags: [] }, async (deployment) =>
        deployment.id === 'a' ? fail(new SwitchboardError('upstream_error', 'bad')) : ok(null),
      ).catch(() => undefined);
    }
    const picked = new Set<string>();
    for (let index = 0; index < 50; index += 1) await router.execute({ modelGroup: 'g' }, async (deployment) => ok(picked.add(deployment.id)));
    expect(picked).toEqual(new Set(['b']));
    expect(router.cooldowns.remainingMs('a')).toBeGreaterThan(25_000);
  });

  it('answers at once with 429 and retry-after when every deployment is cooling, and never calls sooner', async () => {
    const { router, slept } = routerFor(twoDeployments, { fallbacks: new Map() });
    let attempts = 0;
    const limited = async () => {
      attempts += 1;
      return fail(new SwitchboardError('rate_limited', 'slow down', { retryAfterSeconds: 7 }));
    };
    await expect(router.execute({ modelGroup: 'g' }, limited)).rejects.toMatchObject({ code: 'rate_limited' });
    expect(attempts).toBeLessThanOrEqual(3);
    const started = Date.now();
    const error = (await router.execute({ modelGroup: 'g' }, limited).catch((caught: unknown) => caught)) as SwitchboardError;
    expect(error).toMatchObject({ code: 'rate_limited', status: 429 });
    expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(6);
    expect(Date.now() - started).toBeLessThan(50);
    expect(attempts).toBeLessThanOrEqual(3);
    // The rate-limited deployments were rested, so no retry ever went to one before its retry-after.
    expect(slept).toEqual([]);
  });

  it('least-busy picks the deployment with fewer requests in flight', async () => {
    const { router } = routerFor(twoDeployments, { routingStrategy: 'least-busy' });
    router.stats.started('a');
    router.stats.started('a');
    const picked = await router.execute({ modelGroup: 'g' }, async (deployment) => ok(deployment.id));
    expect(picked).toBe('b');
  });

  it('latency-based routing prefers the faster deployment once both are measured', async () => {
    const { router } = routerFor(twoDeployments, { routingStrategy: 'latency-based-routing' });
    router.stats.observeLatency('a', 50);
    router.stats.observeLatency('b', 400);
    const picked = await router.execute({ modelGroup: 'g' }, async (deployment) => ok(deployment.id));
    expect(picked).toBe('a');
  });

  it("answers LiteLLM's 400 for an unknown group", async () => {
    const { router } = routerFor(twoDeployments);
    await expect(router.execute({ modelGroup: 'nope' }, async () => ok(null))).rejects.toMatchObject({ code: 'model_not_found', status: 400 });
  });
});
