import { describe, expect, it } from 'vitest';
import { convertPetalsResponse } from './convert-petals-response';

describe('convertPetalsResponse', () => {
  it.each<[string, string[], string, string | null]>([
    [' Plain answer.</s>', ['\nUser:'], 'Plain answer.', null],
    [' Answer.\nUser: more', ['\nUser:'], 'Answer.', 'stop_sequence'],
    [' one ### two END three', ['END', '###'], 'one', 'stop_sequence'],
    ['No stop here', [''], 'No stop here', null],
  ])('%j with stops %j -> %j', (outputs, stops, content, raw) => {
    const result = convertPetalsResponse({ ok: true, outputs }, stops, 'id', 'm', 'prompt');
    expect(result.choices[0]).toMatchObject({ message: { content }, finishReason: { unified: 'stop', raw } });
  });
});
