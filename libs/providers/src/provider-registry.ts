import type { ProviderAdapter } from '@switchboard/spec';
import { MockAdapter } from './mock/mock-adapter';
import { OpenAiCompatibleAdapter, openAiCompatiblePresets } from './openai-compatible';

/**
 * Every provider Switchboard speaks, by the name used in `model: <provider>/<model>`.
 * Native adapters register themselves here; OpenAI-compatible vendors come from their presets.
 */
export function createProviderRegistry(): ReadonlyMap<string, ProviderAdapter> {
  const adapters: ProviderAdapter[] = [
    new MockAdapter(),
    ...openAiCompatiblePresets.map((preset) => new OpenAiCompatibleAdapter(preset)),
  ];
  return new Map(adapters.map((adapter) => [adapter.provider, adapter]));
}

export function knownProviders(): string[] {
  return [...createProviderRegistry().keys()].sort();
}
