import { describe, expect, it } from 'vitest';
import { mapAlephAlphaFinishReason } from './map-aleph-alpha-finish-reason';

describe('mapAlephAlphaFinishReason', () => {
  it.each([
    ['end_of_text', 'stop'],
    ['stop_sequence_reached', 'stop'],
    ['stop', 'stop'],
    ['maximum_tokens', 'length'],
    ['length', 'length'],
    ['content_filter', 'content_filter'],
    ['something_new', 'other'],
  ])('maps %s to %s and keeps the raw value', (raw, unified) => {
    expect(mapAlephAlphaFinishReason(raw)).toEqual({ unified, raw });
  });

  it('reads a missing reason as a stop without a raw value', () => {
    expect(mapAlephAlphaFinishReason(undefined)).toEqual({ unified: 'stop', raw: null });
  });
});
