import { describe, expect, it } from 'vitest';
import { checkInputBounds, defaultInputBounds, inputBoundsFrom } from './input-bounds';

const nested = (levels: number): unknown => JSON.parse(`${'['.repeat(levels)}${']'.repeat(levels)}`);

describe('checkInputBounds', () => {
  const bounds = { maxDepth: 10, maxArrayLength: 5, maxMessages: 3 };

  it('accepts bodies within every bound', () => {
    expect(() => checkInputBounds({ model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'x'.repeat(100_000) }] }] }, bounds)).not.toThrow();
    expect(() => checkInputBounds({ a: nested(9) }, bounds)).not.toThrow();
    expect(() => checkInputBounds('text', bounds)).not.toThrow();
  });

  it('refuses a body nested deeper than max_request_json_depth, however deep, with a 400 naming the limit', () => {
    for (const levels of [11, 5_000, 200_000]) {
      expect(() => checkInputBounds({ messages: nested(levels) }, { ...bounds, maxMessages: 10 })).toThrow(expect.objectContaining({ status: 400, param: 'body', message: expect.stringContaining('max_request_json_depth') }));
    }
  });

  it('refuses too long an array anywhere, and too many messages or input items', () => {
    expect(() => checkInputBounds({ tools: [{ enum: [1, 2, 3, 4, 5, 6] }] }, bounds)).toThrow(/max_request_array_length/);
    expect(() => checkInputBounds({ messages: [1, 2, 3, 4] }, bounds)).toThrow(expect.objectContaining({ param: 'messages', message: expect.stringContaining('max_request_messages') }));
    expect(() => checkInputBounds({ input: [1, 2, 3, 4] }, bounds)).toThrow(expect.objectContaining({ param: 'input' }));
  });

  it('reads the limits from general_settings, with generous defaults', () => {
    expect(inputBoundsFrom({ maxRequestSizeMb: 10 })).toEqual(defaultInputBounds);
    expect(inputBoundsFrom({ maxRequestSizeMb: 10, max_request_json_depth: 20, max_request_array_length: 7, max_request_messages: 9 })).toEqual({ maxDepth: 20, maxArrayLength: 7, maxMessages: 9 });
    expect(() => checkInputBounds({ messages: Array.from({ length: 10_000 }, () => ({ role: 'user', content: 'x' })) }, defaultInputBounds)).toThrow(/10000 items; the limit is 5000/);
  });
});
