import { describe, expect, it } from 'vitest';
import { mapWatsonxFinishReason } from './map-watsonx-finish-reason';

describe('mapWatsonxFinishReason', () => {
  it.each([
    ['stop', false, 'stop'],
    ['eos_token', false, 'stop'],
    ['stop_sequence', false, 'stop'],
    ['length', false, 'length'],
    ['max_tokens', false, 'length'],
    ['token_limit', false, 'length'],
    ['time_limit', false, 'length'],
    ['tool_calls', true, 'tool_calls'],
    ['stop', true, 'tool_calls'],
    ['error', false, 'error'],
    ['cancelled', false, 'other'],
  ] as const)('maps %s (tool calls: %s) to %s and keeps the raw value', (raw, hasToolCalls, unified) => {
    expect(mapWatsonxFinishReason(raw, hasToolCalls)).toEqual({ unified, raw });
  });

  it('reads a missing reason as a stop, or tool_calls when the choice called tools', () => {
    expect(mapWatsonxFinishReason(null)).toEqual({ unified: 'stop', raw: null });
    expect(mapWatsonxFinishReason(undefined, true)).toEqual({ unified: 'tool_calls', raw: null });
  });
});
