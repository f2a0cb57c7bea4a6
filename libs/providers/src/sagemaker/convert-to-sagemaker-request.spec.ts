import { describe, expect, it } from 'vitest';
import type { ChatRequest, ResolvedDeployment } from '@switchboard/spec';
import { convertToSagemakerRequest } from './convert-to-sagemaker-request';

const deployment = (params: Record<string, unknown> = {}): ResolvedDeployment => ({ id: 'd1', provider: 'sagemaker', upstreamModel: 'e', timeoutMs: 1, params });
const request = (extra: Partial<ChatRequest> = {}): ChatRequest => ({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], ...extra });

describe('convertToSagemakerRequest', () => {
  it.each<[string, Partial<ChatRequest>, Record<string, unknown>, Record<string, unknown>]>([
    ['max_completion_tokens wins over max_tokens', { max_tokens: 10, max_completion_tokens: 20 }, {}, { max_new_tokens: 20 }],
    ['temperature 0 is greedy: left out', { temperature: 0 }, {}, {}],
    ['temperature 0 is sent when allowed', { temperature: 0 }, { aws_sagemaker_allow_zero_temp: true }, { temperature: 0 }],
    ['top_p 1 is left out, below 1 sent', { top_p: 1 }, {}, {}],
    ['a stop string becomes a list', { stop: '###' }, {}, { stop: ['###'] }],
    ['sagemaker_parameters are added, the request wins', { max_tokens: 5 }, { sagemaker_parameters: { max_new_tokens: 100, details: true } }, { max_new_tokens: 5, details: true }],
  ])('%s', (_name, extra, params, parameters) => {
    expect(convertToSagemakerRequest(request(extra), deployment(params), false).body.parameters).toEqual(parameters);
  });

  it('writes the conversation as a transcript ending with Assistant:, and warns about dropped parts', () => {
    const { body, warnings } = convertToSagemakerRequest(
      request({
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: [{ type: 'text', text: 'Look:' }, { type: 'image_url', image_url: { url: 'https://x/y.png' } }] },
          { role: 'assistant', content: 'A cat.' },
          { role: 'user', content: 'Thanks' },
        ],
      }),
      deployment(),
      true,
    );
    expect(body).toEqual({ inputs: 'System: Be brief.\n\nUser: Look:\n\nAssistant: A cat.\n\nUser: Thanks\n\nAssistant:', parameters: {}, stream: true });
    expect(warnings).toEqual(['sagemaker prompts are text; 1 non-text content part(s) were not sent']);
  });
});
