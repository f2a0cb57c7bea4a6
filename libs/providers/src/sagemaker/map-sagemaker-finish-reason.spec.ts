import { describe, expect, it } from 'vitest';
import { mapSagemakerFinishReason } from './map-sagemaker-finish-reason';

describe('mapSagemakerFinishReason', () => {
  it.each([
    ['eos_token', 'stop', 'eos_token'],
    ['stop_sequence', 'stop', 'stop_sequence'],
    ['length', 'length', 'length'],
    [undefined, 'stop', null],
    ['something_new', 'other', 'something_new'],
  ])('maps %s to %s and keeps the raw value', (raw, unified, kept) => {
    expect(mapSagemakerFinishReason(raw)).toEqual({ unified, raw: kept });
  });
});
