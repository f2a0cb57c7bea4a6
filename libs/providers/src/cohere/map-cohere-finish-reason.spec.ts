import { describe, expect, it } from 'vitest';
import { mapCohereFinishReason } from './map-cohere-finish-reason';

describe('mapCohereFinishReason', () => {
  it.each([
    ['COMPLETE', 'stop'],
    ['STOP_SEQUENCE', 'stop'],
    ['MAX_TOKENS', 'length'],
    ['TOOL_CALL', 'tool_calls'],
    ['ERROR', 'error'],
    ['TIMEOUT', 'error'],
    ['SOMETHING_NEW', 'other'],
  ])('maps %s to %s and keeps the raw value', (raw, unified) => {
    expect(mapCohereFinishReason(raw)).toEqual({ unified, raw });
  });
});
