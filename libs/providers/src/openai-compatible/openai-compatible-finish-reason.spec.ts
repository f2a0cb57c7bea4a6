import { describe, expect, it } from 'vitest';
import { mapOpenAiCompatibleFinishReason } from './map-openai-compatible-finish-reason';

describe('mapOpenAiCompatibleFinishReason', () => {
  it.each([
    ['stop', 'stop'],
    ['length', 'length'],
    ['tool_calls', 'tool_calls'],
    ['content_filter', 'content_filter'],
    ['eos', 'stop'],
    ['weird', 'other'],
  ])('maps %s to %s and keeps the raw value', (raw, unified) => {
    expect(mapOpenAiCompatibleFinishReason(raw)).toEqual({ unified, raw });
  });
});
