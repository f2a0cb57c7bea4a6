import { describe, expect, it } from 'vitest';
import { mapOllamaFinishReason } from './map-ollama-finish-reason';

describe('mapOllamaFinishReason', () => {
  it.each([
    ['stop', false, 'stop'],
    ['stop', true, 'tool_calls'],
    ['length', false, 'length'],
    ['length', true, 'length'],
    ['load', false, 'other'],
    ['unload', false, 'other'],
  ] as const)('maps %s (tool calls: %s) to %s and keeps the raw value', (raw, madeToolCalls, unified) => {
    expect(mapOllamaFinishReason(raw, madeToolCalls)).toEqual({ unified, raw });
  });

  it('treats a missing reason as a stop', () => {
    expect(mapOllamaFinishReason(undefined, false)).toEqual({ unified: 'stop', raw: null });
  });
});
