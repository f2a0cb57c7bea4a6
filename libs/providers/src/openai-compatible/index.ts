export { OpenAiCompatibleAdapter } from './openai-compatible-adapter';
export type { EndpointResolver } from './openai-compatible-adapter';
export { openAiCompatiblePresets, openAiCompatiblePresetByProvider } from './openai-compatible-presets';
export type { OpenAiCompatiblePreset, OpenAiCompatibleQuirks } from './openai-compatible-presets';
export { OpenAiCompatibleStreamTransformer } from './openai-compatible-stream-transformer';
