import { describe, expect, it } from 'vitest';
import { mapReplicateFinishReason } from './map-replicate-finish-reason';

describe('mapReplicateFinishReason', () => {
  it.each([
    ['succeeded', 'stop'],
    ['failed', 'error'],
    ['error', 'error'],
    ['canceled', 'other'],
    ['aborted', 'other'],
    ['unexpected', 'other'],
  ])('maps %s to %s and keeps the raw value', (raw, unified) => {
    expect(mapReplicateFinishReason(raw)).toEqual({ unified, raw });
  });

  it('reads a done event without a reason as a stop', () => {
    expect(mapReplicateFinishReason(undefined)).toEqual({ unified: 'stop', raw: null });
  });
});
