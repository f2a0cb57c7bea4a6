import { describe, expect, it } from 'vitest';
import { convertBasetenPredictResponse } from './convert-baseten-predict-response';

describe('convertBasetenPredictResponse', () => {
  it.each([
    ['"Hello."', 'Hello.', { estimated: true }],
    ['Plain text answer', 'Plain text answer', { estimated: true }],
    [
      JSON.stringify({ choices: [{ message: { content: 'From vLLM' }, finish_reason: 'length' }], usage: { prompt_tokens: 3, completion_tokens: 2 } }),
      'From vLLM',
      { prompt_tokens: 3, completion_tokens: 2 },
    ],
    [JSON.stringify({ choices: [{ message: { content: 'No usage' }, finish_reason: 'stop' }] }), 'No usage', { estimated: true }],
  ])('%s -> %s', (body, content, raw) => {
    const result = convertBasetenPredictResponse(body, 'id-1', 'm', 'prompt');
    expect(result.choices[0].message.content).toBe(content);
    expect(result.usage.raw).toEqual(raw);
  });

  it('refuses JSON it cannot read as an answer', () => {
    expect(() => convertBasetenPredictResponse('{"result": [1, 2]}', 'id-1', 'm', 'prompt')).toThrow(/neither an OpenAI chat completion nor a string/);
  });
});
