import { describe, expect, it } from 'vitest';
import { ResponseBuilder } from './response-builder';
import { parseResponseId, responseId } from './response-id';
import { toServerSentEvents } from './response-stream-event';

describe('ResponseBuilder', () => {
  it('emits OpenAI response events in order with increasing sequence numbers', () => {
    const builder = new ResponseBuilder({ id: responseId('d1', 'req_1'), model: 'm', createdAt: 1, store: true });
    const list = [
      ...builder.start(),
      ...builder.encode([
        { type: 'text-delta', index: 0, delta: 'Hel' },
        { type: 'text-delta', index: 0, delta: 'lo' },
        { type: 'tool-call-delta', index: 0, toolCallIndex: 0, id: 'call_1', name: 'f', argumentsDelta: '{}' },
        { type: 'finish', index: 0, finishReason: { unified: 'tool_calls', raw: 'tool_calls' } },
      ]),
      ...builder.finish(),
    ];
    expect(list.map((event) => event.sequence_number)).toEqual(list.map((_, index) => index));
    expect(list.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(builder.assistantMessage()).toEqual({
      role: 'assistant',
      content: 'Hello',
      tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }],
    });
  });

  it('marks a response cut by max_output_tokens as incomplete', () => {
    const builder = new ResponseBuilder({ id: responseId('d1', 'req_2'), model: 'm', createdAt: 1, store: true });
    builder.encode([{ type: 'text-delta', index: 0, delta: 'x' }, { type: 'finish', index: 0, finishReason: { unified: 'length', raw: 'length' } }]);
    const last = builder.finish().at(-1);
    expect(last?.type).toBe('response.incomplete');
  });

  it('events are snapshots: later parts do not change an event already built', () => {
    const builder = new ResponseBuilder({ id: responseId('d1', 'req_3'), model: 'm', createdAt: 1, store: true });
    const [created] = builder.start();
    const added = builder.encode([{ type: 'text-delta', index: 0, delta: 'a' }]);
    builder.encode([{ type: 'text-delta', index: 0, delta: 'b' }]);
    expect((created.response as { output: unknown[] }).output).toEqual([]);
    expect(added.find((event) => event.type === 'response.content_part.added')?.part).toMatchObject({ text: '' });
  });

  it('frames events as Server-Sent Events the way OpenAI does, each with its event line', () => {
    const builder = new ResponseBuilder({ id: responseId('d1', 'req_4'), model: 'm', createdAt: 1, store: true });
    const events = builder.start();
    expect(toServerSentEvents(events)).toBe(events.map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`).join(''));
    expect(toServerSentEvents(events).startsWith('event: response.created\ndata: {"type":"response.created","sequence_number":0,')).toBe(true);
  });
});

describe('response ids', () => {
  it('carry the deployment and the request, in one format', () => {
    const id = responseId('deployment/with:odd chars', 'req_abc');
    expect(id).toMatch(/^resp_[A-Za-z0-9_-]+$/);
    expect(parseResponseId(id)).toEqual({ deploymentId: 'deployment/with:odd chars', requestId: 'req_abc' });
    expect(() => parseResponseId('resp_garbage')).toThrow(/No response found/);
  });
});
