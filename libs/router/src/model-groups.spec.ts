import { describe, expect, it } from 'vitest';
import { parseConfig } from '@switchboard/config';
import { SwitchboardError } from '@switchboard/spec';
import { Router } from './router';
import type { AttemptOutcome } from './router';
import { routerSettingsFrom } from './router-settings';
import { requestDefaultsFor } from './request-defaults';

function routerFor(yaml: string) {
  const config = parseConfig(yaml, 'test.yaml', { environment: {} });
  return new Router({ deployments: () => config.modelList, settings: routerSettingsFrom(config), sleep: async () => undefined });
}

const ok = <T>(value: T): AttemptOutcome<T> => ({ ok: true, value });

const wildcards = `
model_list:
  - model_name: "*"
    litellm_params: { model: openai/* }
    model_info: { id: any }
  - model_name: "anthropic/*"
    litellm_params: { model: anthropic/* }
    model_info: { id: anthropic }
  - model_name: "my-prefix/*"
    litellm_params: { model: groq/*-instant }
    model_info: { id: prefixed }
  - model_name: my-prefix/exact
    litellm_params: { model: openai/exact-one }
    model_info: { id: exact }
router_settings:
  model_group_alias: { cheap: my-prefix/exact, hidden-cheap: { model: "anthropic/claude-x", hidden: true } }
`;

describe('model groups', () => {
  it.each([
    ['anything-9', 'any', 'openai/anything-9', 'openai', '*'],
    ['anthropic/claude-sonnet', 'anthropic', 'anthropic/claude-sonnet', 'anthropic', 'anthropic/*'],
    ['my-prefix/llama-3', 'prefixed', 'groq/llama-3-instant', 'groq', 'my-prefix/*'],
    ['my-prefix/exact', 'exact', 'openai/exact-one', 'openai', undefined],
    ['cheap', 'exact', 'openai/exact-one', 'openai', undefined],
    ['hidden-cheap', 'anthropic', 'anthropic/claude-x', 'anthropic', 'anthropic/*'],
  ])('%s is served by %s as %s', (name, id, model, provider, pattern) => {
    const [deployment] = routerFor(wildcards).groupDeployments(name);
    expect(deployment).toMatchObject({ id, provider, params: { model } });
    expect(deployment.pattern).toBe(pattern);
  });

  it('routes a wildcard request under its concrete name, and refuses an unknown model with 400', async () => {
    const router = routerFor(wildcards);
    const seen = await router.execute({ modelGroup: 'anything-9' }, async (deployment) => ok(deployment));
    expect(seen).toMatchObject({ modelName: 'anything-9', params: { model: 'openai/anything-9' } });
    const exactOnly = routerFor('model_list:\n  - model_name: a\n    litellm_params: { model: openai/a }\n');
    const error = await exactOnly.execute({ modelGroup: 'nope' }, async () => ok(null)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SwitchboardError);
    expect((error as SwitchboardError).status).toBe(400);
    expect((error as SwitchboardError).message).toBe('Invalid model name passed in model=nope. Call `/v1/models` to view available models for your key.');
  });

  it('an alias routes to its group and is recorded as the group', async () => {
    const router = routerFor(wildcards);
    const trace = { attemptedRetries: 0, attemptedFallbacks: 0, modelGroup: 'cheap' };
    await router.execute({ modelGroup: 'cheap' }, async () => ok(null), trace);
    expect(trace.modelGroup).toBe('my-prefix/exact');
  });
});

const tagged = (filtering: string) => `
model_list:
  - model_name: g
    litellm_params: { model: openai/free, tags: [free] }
    model_info: { id: free }
  - model_name: g
    litellm_params: { model: openai/paid, tags: [paid, team-a] }
    model_info: { id: paid }
  - model_name: untagged
    litellm_params: { model: openai/u }
    model_info: { id: u }
  - model_name: with-default
    litellm_params: { model: openai/d, tags: [default] }
    model_info: { id: d }
  - model_name: with-default
    litellm_params: { model: openai/e, tags: [other] }
    model_info: { id: e }
${filtering}`;

async function idsFor(router: Router, modelGroup: string, tags: string[], times = 20): Promise<Set<string>> {
  const ids = new Set<string>();
  for (let index = 0; index < times; index += 1) await router.execute({ modelGroup, tags }, async (deployment) => ok(ids.add(deployment.id)));
  return ids;
}

describe('tags', () => {
  it('only label spend without enable_tag_filtering: a tagged request to untagged deployments is served', async () => {
    const router = routerFor(tagged(''));
    expect(await idsFor(router, 'untagged', ['paid'])).toEqual(new Set(['u']));
    expect(await idsFor(router, 'g', ['paid'])).toEqual(new Set(['free', 'paid']));
  });

  it('with enable_tag_filtering pick the deployments with the tag, else default ones, else refuse as LiteLLM', async () => {
    const router = routerFor(tagged('router_settings: { enable_tag_filtering: true }'));
    expect(await idsFor(router, 'g', ['paid'])).toEqual(new Set(['paid']));
    expect(await idsFor(router, 'with-default', ['nothing-matches'])).toEqual(new Set(['d']));
    expect(await idsFor(router, 'with-default', [])).toEqual(new Set(['d']));
    expect(await idsFor(router, 'g', [])).toEqual(new Set(['free', 'paid']));
    const error = (await router.execute({ modelGroup: 'untagged', tags: ['paid'] }, async () => ok(null)).catch((caught: unknown) => caught)) as SwitchboardError;
    expect(error.status).toBe(401);
    expect(error.message).toBe("Not allowed to access model due to tags configuration. Passed model=untagged and tags=['paid']");
  });

  it('match every request tag with tag_filtering_match_any: false; a group can turn filtering on alone', async () => {
    const all = routerFor(tagged('router_settings: { enable_tag_filtering: true, tag_filtering_match_any: false }'));
    expect(await idsFor(all, 'g', ['paid', 'team-a'])).toEqual(new Set(['paid']));
    await expect(all.execute({ modelGroup: 'g', tags: ['paid', 'team-b'] }, async () => ok(null))).rejects.toThrow(/due to tags configuration/);
    const perGroup = routerFor(tagged('').replace("model_info: { id: paid }", 'model_info: { id: paid, enable_tag_filtering: true }'));
    expect(await idsFor(perGroup, 'g', ['paid'])).toEqual(new Set(['paid']));
    expect(await idsFor(perGroup, 'untagged', ['paid'])).toEqual(new Set(['u']));
  });
});

describe('deployment limits and settings', () => {
  const config = `
model_list:
  - model_name: g
    litellm_params: { model: openai/a, max_parallel_requests: 1 }
    model_info: { id: a }
  - model_name: g
    litellm_params: { model: openai/b }
    model_info: { id: b }
router_settings: { default_max_parallel_requests: 2 }
`;

  it('skips a deployment at its max_parallel_requests, and answers 429 when every one is', async () => {
    const router = routerFor(config);
    const releases: Array<() => void> = [];
    const inFlight: string[] = [];
    const hold = () =>
      router.execute({ modelGroup: 'g' }, (deployment) => {
        inFlight.push(deployment.id);
        return new Promise<AttemptOutcome<null>>((resolve) => releases.push(() => resolve(ok(null))));
      });
    const held = [hold(), hold(), hold()];
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(inFlight.sort()).toEqual(['a', 'b', 'b']);
    const refused = (await router.execute({ modelGroup: 'g' }, async () => ok(null)).catch((caught: unknown) => caught)) as SwitchboardError;
    expect(refused.status).toBe(429);
    expect(refused.message).toMatch(/max_parallel_requests/);
    for (const release of releases) release();
    await Promise.all(held);
    await expect(router.execute({ modelGroup: 'g' }, async () => ok('again'))).resolves.toBe('again');
  });

  it('adds default request parameters the request leaves out; its own win', () => {
    const [deployment] = routerFor('model_list:\n  - model_name: g\n    litellm_params: { model: openai/a, temperature: 0.1, max_tokens: 50, api_key: sk-x }\n').groupDeployments('g');
    expect(requestDefaultsFor({ model: 'g', messages: [] }, deployment, { top_p: 0.5, temperature: 1 })).toEqual({ model: 'g', messages: [], temperature: 0.1, max_tokens: 50, top_p: 0.5 });
    expect(requestDefaultsFor({ model: 'g', messages: [], temperature: 0.9, max_tokens: null }, deployment)).toEqual({ model: 'g', messages: [], temperature: 0.9, max_tokens: 50 });
  });

  it('never rests a deployment with disable_cooldowns, and obeys allowed_fails_policy otherwise', async () => {
    const failing = (yaml: string) => routerFor(yaml);
    const base = 'model_list:\n  - model_name: g\n    litellm_params: { model: openai/a }\n    model_info: { id: a }\n';
    const rateLimited = new SwitchboardError('upstream_error', 'boom');
    const quiet = failing(`${base}router_settings: { allowed_fails: 1, disable_cooldowns: true }\n`);
    for (let index = 0; index < 3; index += 1) await quiet.execute({ modelGroup: 'g' }, async () => ({ ok: false, error: rateLimited, outputStarted: false })).catch(() => undefined);
    expect(quiet.cooldowns.isCooling('a')).toBe(false);
    const tolerant = failing(`${base}router_settings: { allowed_fails: 1, allowed_fails_policy: { InternalServerErrorAllowedFails: 3 } }\n`);
    for (let index = 0; index < 2; index += 1) await tolerant.execute({ modelGroup: 'g' }, async () => ({ ok: false, error: rateLimited, outputStarted: false })).catch(() => undefined);
    expect(tolerant.cooldowns.isCooling('a')).toBe(false);
    await tolerant.execute({ modelGroup: 'g' }, async () => ({ ok: false, error: rateLimited, outputStarted: false })).catch(() => undefined);
    expect(tolerant.cooldowns.isCooling('a')).toBe(true);
  });
});

describe('model_info rpm / tpm', () => {
  it('weigh simple-shuffle and cap usage-based routing like litellm_params rpm / tpm', async () => {
    const yaml = `
model_list:
  - model_name: g
    litellm_params: { model: openai/a }
    model_info: { id: a, rpm: 1 }
  - model_name: g
    litellm_params: { model: openai/b }
    model_info: { id: b, rpm: 9 }
`;
    const shuffled = await idsFor(routerFor(yaml), 'g', [], 400);
    expect(shuffled).toEqual(new Set(['a', 'b']));
    const counts = { a: 0, b: 0 };
    const router = routerFor(yaml);
    for (let index = 0; index < 500; index += 1) await router.execute({ modelGroup: 'g' }, async (deployment) => ok((counts[deployment.id as 'a' | 'b'] += 1)));
    expect(counts.b / 500).toBeGreaterThan(0.83);
    const capped = routerFor(`${yaml}router_settings: { routing_strategy: usage-based-routing-v2 }\n`);
    const used = { a: 0, b: 0 };
    for (let index = 0; index < 10; index += 1) await capped.execute({ modelGroup: 'g' }, async (deployment) => ok((used[deployment.id as 'a' | 'b'] += 1)));
    expect(used).toEqual({ a: 1, b: 9 });
    await expect(capped.execute({ modelGroup: 'g' }, async () => ok(null))).rejects.toMatchObject({ status: 429 });
  });
});
