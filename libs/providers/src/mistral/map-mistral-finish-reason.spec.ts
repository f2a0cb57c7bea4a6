import { describe, expect, it } from 'vitest';
import { mapMistralFinishReason } from './map-mistral-finish-reason';

describe('mapMistralFinishReason', () => {
  it.each([
    ['stop', 'stop'],
    ['length', 'length'],
    ['model_length', 'length'],
    ['tool_calls', 'tool_calls'],
    ['error', 'error'],
    ['new_reason', 'other'],
  ])('maps %s to %s and keeps the raw value', (raw, unified) => {
    expect(mapMistralFinishReason(raw)).toEqual({ unified, raw });
  });
});
