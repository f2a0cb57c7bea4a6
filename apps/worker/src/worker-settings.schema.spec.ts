import { describe, expect, it } from 'vitest';
import { parseWorkerSettings, selectedProviders } from './worker-settings.schema';

describe('selectedProviders', () => {
  const known = ['mock', 'openai', 'groq'];

  it('serves every known provider by default and the listed ones otherwise', () => {
    expect(selectedProviders(parseWorkerSettings({}), known)).toEqual(known);
    expect(selectedProviders(parseWorkerSettings({ WORKER_PROVIDERS: 'openai, groq' }), known)).toEqual(['openai', 'groq']);
  });

  it('refuses an unknown provider name', () => {
    expect(() => selectedProviders(parseWorkerSettings({ WORKER_PROVIDERS: 'opneai' }), known)).toThrow(/opneai/);
  });
});
