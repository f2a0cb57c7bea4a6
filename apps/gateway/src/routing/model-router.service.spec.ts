import { describe, expect, it } from 'vitest';
import { parseConfig } from '@switchboard/config';
import { ModelRouter } from './model-router.service';

const config = parseConfig(
  `model_list:
  - model_name: group
    litellm_params: { model: openai/a, weight: 3 }
    model_info: { id: heavy }
  - model_name: group
    litellm_params: { model: openai/b, weight: 1 }
    model_info: { id: light }
  - model_name: single
    litellm_params: { model: mock/x }
`,
  'test.yaml',
  { environment: {} },
);

describe('ModelRouter', () => {
  const router = new ModelRouter(config);

  it('spreads a group by weight', () => {
    const counts = { heavy: 0, light: 0 } as Record<string, number>;
    for (let index = 0; index < 4_000; index += 1) counts[router.pick('group').id] += 1;
    expect(counts.heavy / 4_000).toBeGreaterThan(0.7);
    expect(counts.heavy / 4_000).toBeLessThan(0.8);
  });

  it('answers model_not_found with param model for an unknown name', () => {
    expect(() => router.pick('nope')).toThrow(expect.objectContaining({ code: 'model_not_found', status: 404, param: 'model' }));
  });

  it('lists each model name once', () => {
    expect(router.modelNames()).toEqual(['group', 'single']);
  });
});
