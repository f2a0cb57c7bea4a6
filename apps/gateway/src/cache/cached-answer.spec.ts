import { describe, expect, it } from 'vitest';
import type { ReplyFrame } from '@switchboard/messaging';
import type { ChatResult, Usage } from '@switchboard/spec';
import { isCacheable, partsOfResult, replayFrames, resultOfFrames } from './cached-answer';

const usage: Usage = { inputTokens: { total: 11, noCache: 8, cacheRead: 3, cacheWrite: 0 }, outputTokens: { total: 7, text: 5, reasoning: 2 } };
const stop = { unified: 'stop' as const, raw: 'stop' };

const streamed: ReplyFrame[] = [
  { kind: 'parts', parts: [{ type: 'response-metadata', id: 'chatcmpl-up', model: 'gpt-x', created: 100, systemFingerprint: 'fp' }] },
  { kind: 'parts', parts: [{ type: 'reasoning-delta', index: 0, delta: 'think' }, { type: 'text-delta', index: 0, delta: 'Hel' }] },
  { kind: 'parts', parts: [{ type: 'text-delta', index: 0, delta: 'lo' }, { type: 'tool-call-delta', index: 0, toolCallIndex: 0, id: 'call_1', name: 'get', argumentsDelta: '{"a"' }] },
  { kind: 'parts', parts: [{ type: 'tool-call-delta', index: 0, toolCallIndex: 0, argumentsDelta: ':1}' }, { type: 'finish', index: 0, finishReason: { unified: 'tool_calls', raw: 'tool_calls' } }, { type: 'usage', usage }] },
  { kind: 'end' },
];

describe('cached answers', () => {
  it('folds a complete stream into one result', () => {
    expect(resultOfFrames(streamed)).toEqual({
      id: 'chatcmpl-up',
      model: 'gpt-x',
      created: 100,
      systemFingerprint: 'fp',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hello', reasoningContent: 'think', toolCalls: [{ id: 'call_1', type: 'function', function: { name: 'get', arguments: '{"a":1}' } }] },
          finishReason: { unified: 'tool_calls', raw: 'tool_calls' },
        },
      ],
      usage,
    });
  });

  it.each<[string, ReplyFrame[]]>([
    ['a stream that did not end', streamed.slice(0, -1)],
    ['a stream that failed in-band', [...streamed.slice(0, -1), { kind: 'parts', parts: [{ type: 'error', error: { code: 'upstream_error', message: 'x', status: 502, retryable: true } }] }, { kind: 'end' }]],
    ['a stream without usage', [streamed[0], { kind: 'parts', parts: [{ type: 'text-delta', index: 0, delta: 'x' }, { type: 'finish', index: 0, finishReason: stop }] }, { kind: 'end' }]],
    ['a choice that never finished', [streamed[0], { kind: 'parts', parts: [{ type: 'text-delta', index: 0, delta: 'x' }, { type: 'usage', usage }] }, { kind: 'end' }]],
  ])('keeps nothing of %s', (_, frames) => {
    expect(resultOfFrames(frames)).toBeUndefined();
  });

  it('replays a result as a stream that folds back into the same result, with a fresh id', () => {
    const result = resultOfFrames(streamed) as ChatResult;
    const frames = replayFrames(result, true, 'chatcmpl-new', 5_000);
    expect(frames.at(-1)).toEqual({ kind: 'end' });
    expect(resultOfFrames(frames)).toEqual({ ...result, id: 'chatcmpl-new', created: 5 });
    const whole = replayFrames(result, false, 'chatcmpl-new', 5_000);
    expect(whole).toEqual([{ kind: 'result', result: { ...result, id: 'chatcmpl-new', created: 5, upstreamLatencyMs: undefined } }]);
    expect(partsOfResult(result).filter((part) => part.type === 'usage')).toHaveLength(1);
  });

  it('keeps only answers that finished normally', () => {
    const result = resultOfFrames(streamed) as ChatResult;
    expect(isCacheable(result)).toBe(true);
    expect(isCacheable({ ...result, choices: [{ ...result.choices[0], finishReason: { unified: 'content_filter', raw: 'content_filter' } }] })).toBe(false);
    expect(isCacheable({ ...result, choices: [{ ...result.choices[0], finishReason: { unified: 'error', raw: null } }] })).toBe(false);
  });
});
