import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '@switchboard/spec';
import { convertToMistralRequest, toMistralToolCallId } from './convert-to-mistral-request';

const base: ChatRequest = { model: 'mistral/x', messages: [{ role: 'user', content: 'Hi' }] };

describe('toMistralToolCallId', () => {
  it.each(['call_abc123', 'toolu_01A09q90qw90lq917835lq9', 'a', 'get_weather_k3j9x2m7p4qa'])('hashes %s to nine alphanumerics, stably', (id) => {
    expect(toMistralToolCallId(id)).toMatch(/^[A-Za-z0-9]{9}$/);
    expect(toMistralToolCallId(id)).toBe(toMistralToolCallId(id));
  });

  it('keeps ids Mistral issued', () => {
    expect(toMistralToolCallId('gSIMJiOkT')).toBe('gSIMJiOkT');
  });
});

describe('convertToMistralRequest', () => {
  it.each([
    ['auto', 'auto'],
    ['none', 'none'],
    ['required', 'any'],
    [{ type: 'function', function: { name: 'f' } }, { type: 'function', function: { name: 'f' } }],
  ] as const)('tool_choice %j -> %j', (choice, expected) => {
    expect(convertToMistralRequest({ ...base, tool_choice: choice }, 'x', false, {}).body.tool_choice).toEqual(expected);
  });

  it.each([
    [{ reasoning_effort: 'none' }, 'none'],
    [{ reasoning_effort: 'high' }, 'high'],
    [{ reasoning_effort: 'low' }, 'high'],
    [{ thinking: { type: 'enabled', budget_tokens: 1000 } }, 'high'],
    [{ thinking: { type: 'disabled' } }, 'none'],
    [{}, undefined],
  ] as const)('reasoning %j -> reasoning_effort %s', (fields, expected) => {
    const { body } = convertToMistralRequest({ ...base, ...fields }, 'x', false, {});
    expect(body.reasoning_effort).toBe(expected);
    expect(body).not.toHaveProperty('thinking');
  });

  it('renames seed, keeps max_tokens and lets the request override the deployment safe_prompt', () => {
    const { body } = convertToMistralRequest({ ...base, seed: 3, max_tokens: 9, safe_prompt: false }, 'x', false, { safe_prompt: true });
    expect(body).toMatchObject({ random_seed: 3, max_tokens: 9, safe_prompt: false });
    expect(body).not.toHaveProperty('seed');
  });
});
