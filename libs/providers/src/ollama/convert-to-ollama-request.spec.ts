import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '@switchboard/spec';
import { convertToOllamaRequest } from './convert-to-ollama-request';

const base: ChatRequest = {
  model: 'ollama/x',
  messages: [{ role: 'user', content: 'Hi' }],
  tools: [
    { type: 'function', function: { name: 'a' } },
    { type: 'function', function: { name: 'b' } },
  ],
};

describe('convertToOllamaRequest', () => {
  it.each([
    ['qwen3:8b', { reasoning_effort: 'high' }, true],
    ['qwen3:8b', { reasoning_effort: 'none' }, false],
    ['gpt-oss:20b', { reasoning_effort: 'low' }, 'low'],
    ['gpt-oss:20b', { reasoning_effort: 'minimal' }, 'low'],
    ['qwen3:8b', { thinking: { type: 'enabled', budget_tokens: 100 } }, true],
    ['qwen3:8b', { thinking: { type: 'disabled' } }, false],
    ['gpt-oss:20b', { think: 'high' }, 'high'],
    ['llama3.2', {}, undefined],
  ] as const)('%s with %j thinks %j', (model, fields, think) => {
    expect(convertToOllamaRequest({ ...base, ...fields }, model, false, {}).body.think).toEqual(think);
  });

  it.each([
    ['auto', ['a', 'b'], []],
    ['none', undefined, []],
    ['required', ['a', 'b'], ['ollama cannot force a tool call; tool_choice required was not enforced']],
    [{ type: 'function', function: { name: 'b' } }, ['b'], ['ollama cannot force a tool call; only b was offered']],
  ] as const)('tool_choice %j offers %j', (choice, offered, warnings) => {
    const converted = convertToOllamaRequest({ ...base, tool_choice: choice }, 'x', false, {});
    expect(converted.body.tools?.map((tool) => tool.function.name)).toEqual(offered);
    expect(converted.warnings).toEqual(warnings);
  });

  it.each([
    [{ type: 'json_object' }, 'json'],
    [{ type: 'json_schema', json_schema: { name: 'n', schema: { type: 'object' } } }, { type: 'object' }],
    [{ type: 'json_schema', json_schema: { name: 'n' } }, 'json'],
    [{ type: 'text' }, undefined],
  ] as const)('response_format %j -> format %j', (format, expected) => {
    expect(convertToOllamaRequest({ ...base, response_format: format }, 'x', false, {}).body.format).toEqual(expected);
  });

  it('prefers max_completion_tokens and turns a single stop into a list', () => {
    const { body } = convertToOllamaRequest({ ...base, max_tokens: 10, max_completion_tokens: 20, stop: 'END' }, 'x', true, {});
    expect(body.options).toEqual({ num_predict: 20, stop: ['END'] });
    expect(body.stream).toBe(true);
  });
});
