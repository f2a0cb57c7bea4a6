import { describe, expect, it } from 'vitest';
import { MessageStreamEncoder } from './message-stream-encoder';

function events(text: string): Array<{ event: string; data: Record<string, unknown> }> {
  return text
    .trim()
    .split('\n\n')
    .map((frame) => {
      const [eventLine, dataLine] = frame.split('\n');
      return { event: eventLine.replace('event: ', ''), data: JSON.parse(dataLine.replace('data: ', '')) as Record<string, unknown> };
    });
}

describe('MessageStreamEncoder', () => {
  it('opens and closes blocks as the content changes, with event: lines on every frame', () => {
    const encoder = new MessageStreamEncoder('msg_1', 'claude');
    const out =
      encoder.encode([
        { type: 'reasoning-delta', index: 0, delta: 'hmm', signature: 'sig' },
        { type: 'text-delta', index: 0, delta: 'Hi' },
        { type: 'tool-call-delta', index: 0, toolCallIndex: 0, id: 'toolu_1', name: 'f', argumentsDelta: '{"a":' },
        { type: 'tool-call-delta', index: 0, toolCallIndex: 0, argumentsDelta: '1}' },
        { type: 'finish', index: 0, finishReason: { unified: 'tool_calls', raw: 'tool_calls' } },
        {
          type: 'usage',
          usage: { inputTokens: { total: 10, noCache: 6, cacheRead: 4, cacheWrite: 0 }, outputTokens: { total: 3, text: 3, reasoning: 0 } },
        },
      ]) + encoder.finish();
    const list = events(out);
    for (const item of list) expect(item.data.type).toBe(item.event);
    expect(list.map((item) => item.event)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(list[3].data.delta).toEqual({ type: 'signature_delta', signature: 'sig' });
    expect(list[8].data.content_block).toEqual({ type: 'tool_use', id: 'toolu_1', name: 'f', input: {} });
    expect(list[12].data).toMatchObject({
      delta: { stop_reason: 'tool_use' },
      usage: { input_tokens: 6, output_tokens: 3, cache_read_input_tokens: 4 },
    });
  });

  it('reports a failure after the 200 as an error event', () => {
    const encoder = new MessageStreamEncoder('msg_1', 'claude');
    const [error] = events(encoder.error({ code: 'upstream_unavailable', message: 'Overloaded', status: 503, retryable: true }, 'req_1'));
    expect(error).toEqual({ event: 'error', data: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: 'req_1' } });
  });
});
