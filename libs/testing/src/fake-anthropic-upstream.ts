import type { ServerResponse } from 'node:http';
import { sendJson, startFakeServer } from './fake-server';
import type { FakeServer } from './fake-server';

/**
 * A fake Anthropic Messages API (https://docs.claude.com/en/api/messages) for end-to-end tests.
 * The model picks the behaviour: `claude-ok` text, `claude-tools` a tool_use, `claude-thinking` a
 * signed thinking block then text, `claude-overloaded` HTTP 529, `claude-stream-error` an error event.
 */
export const anthropicUsage = { input_tokens: 20, cache_read_input_tokens: 10, cache_creation_input_tokens: 5, output_tokens: 12 };

function event(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

function blocks(model: string): Array<Record<string, unknown>> {
  if (model === 'claude-tools') return [{ type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: { city: 'Paris' } }];
  if (model === 'claude-thinking') return [{ type: 'thinking', thinking: 'Let me think.', signature: 'sig-abc' }, { type: 'text', text: 'Hello from Claude.' }];
  return [{ type: 'text', text: 'Hello from Claude.' }];
}

function stopReason(model: string): string {
  return model === 'claude-tools' ? 'tool_use' : 'end_turn';
}

function stream(model: string, response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  let out = event('message_start', {
    message: { id: 'msg_fake01', type: 'message', role: 'assistant', model: `${model}-20250929`, content: [], stop_reason: null, usage: { ...anthropicUsage, output_tokens: 1 } },
  });
  out += event('ping', {});
  blocks(model).forEach((block, index) => {
    if (block.type === 'text') {
      out += event('content_block_start', { index, content_block: { type: 'text', text: '' } });
      for (const piece of ['Hello', ' from', ' Claude.']) out += event('content_block_delta', { index, delta: { type: 'text_delta', text: piece } });
    } else if (block.type === 'thinking') {
      out += event('content_block_start', { index, content_block: { type: 'thinking', thinking: '' } });
      out += event('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: 'Let me think.' } });
      out += event('content_block_delta', { index, delta: { type: 'signature_delta', signature: 'sig-abc' } });
    } else {
      out += event('content_block_start', { index, content_block: { type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: {} } });
      out += event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: '{"city":' } });
      out += event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: '"Paris"}' } });
    }
    out += event('content_block_stop', { index });
  });
  if (model === 'claude-stream-error') {
    response.end(out + event('error', { error: { type: 'overloaded_error', message: 'Overloaded' } }));
    return;
  }
  out += event('message_delta', { delta: { stop_reason: stopReason(model), stop_sequence: null }, usage: { output_tokens: anthropicUsage.output_tokens } });
  out += event('message_stop', {});
  response.end(out);
}

export async function startFakeAnthropicUpstream(): Promise<FakeServer> {
  return startFakeServer((request, response) => {
    if (request.url !== '/v1/messages') return sendJson(response, 404, { type: 'error', error: { type: 'not_found_error', message: 'no route' } });
    const body = (request.json ?? {}) as { model?: string; stream?: boolean };
    const model = body.model ?? 'claude-ok';
    if (model === 'claude-overloaded') return sendJson(response, 529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    if (body.stream) return stream(model, response);
    sendJson(response, 200, {
      id: 'msg_fake01',
      type: 'message',
      role: 'assistant',
      model: `${model}-20250929`,
      content: blocks(model),
      stop_reason: stopReason(model),
      stop_sequence: null,
      usage: anthropicUsage,
    });
  });
}
