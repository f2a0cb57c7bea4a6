import { describe, expect, it } from 'vitest';
import type { ChatRequest, ResolvedDeployment } from '@switchboard/spec';
import { convertToWatsonxRequest } from './convert-to-watsonx-request';

const base: ChatRequest = { model: 'watsonx/x', messages: [{ role: 'user', content: 'Hi' }] };
const deployment: ResolvedDeployment = {
  id: 'd1',
  provider: 'watsonx',
  upstreamModel: 'ibm/granite-3-3-8b-instruct',
  timeoutMs: 1,
  params: { project_id: 'p1' },
};

describe('convertToWatsonxRequest', () => {
  it.each<[Partial<ChatRequest>, Record<string, unknown>]>([
    [{ tool_choice: 'auto' }, { tool_choice_option: 'auto' }],
    [{ tool_choice: 'none' }, { tool_choice_option: 'none' }],
    [{ tool_choice: 'required' }, { tool_choice_option: 'required' }],
    [{ tool_choice: { type: 'function', function: { name: 'f' } } }, { tool_choice: { type: 'function', function: { name: 'f' } } }],
    [{ max_tokens: 5 }, { max_tokens: 5 }],
    [{ max_completion_tokens: 6, max_tokens: 5 }, { max_tokens: 6 }],
    [{ stop: 'x' }, { stop: ['x'] }],
    [{ response_format: { type: 'json_schema', json_schema: { name: 'n', schema: { type: 'object' } } } }, { response_format: { type: 'json_schema', json_schema: { name: 'n', schema: { type: 'object' } } } }],
    [{ reasoning_effort: 'high' }, { reasoning_effort: 'high' }],
  ])('%j -> %j', (fields, expected) => {
    const { body } = convertToWatsonxRequest({ ...base, ...fields }, deployment);
    expect(body).toMatchObject({ model_id: 'ibm/granite-3-3-8b-instruct', project_id: 'p1', ...expected });
  });

  it.each(['minimal', 'none'] as const)('does not send reasoning_effort %s and says so', (effort) => {
    const { body, warnings } = convertToWatsonxRequest({ ...base, reasoning_effort: effort }, deployment);
    expect(body).not.toHaveProperty('reasoning_effort');
    expect(warnings).toEqual([`watsonx supports reasoning_effort low, medium or high; ${effort} was not sent`]);
  });

  it('removes closed-object markers at every depth of a tool schema and keeps open ones', () => {
    const parameters = {
      type: 'object',
      additionalProperties: false,
      properties: { inner: { type: 'object', additionalProperties: false }, open: { type: 'object', additionalProperties: { type: 'string' } } },
    };
    const { body } = convertToWatsonxRequest({ ...base, tools: [{ type: 'function', function: { name: 'f', parameters } }] }, deployment);
    expect(body.tools).toEqual([
      { type: 'function', function: { name: 'f', parameters: { type: 'object', properties: { inner: { type: 'object' }, open: { type: 'object', additionalProperties: { type: 'string' } } } } } },
    ]);
  });
});
