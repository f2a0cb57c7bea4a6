import type { ServerResponse } from 'node:http';
import { sendJson, startFakeServer } from './fake-server';
import type { FakeServer, RecordedRequest } from './fake-server';

/**
 * A fake OpenAI upstream speaking the documented Chat Completions and Embeddings wire format.
 * The upstream model name picks the behaviour, so one server serves a whole test config:
 * - `ok`: a text answer; `tools`: two parallel tool calls; `reasoning`: reasoning_content first;
 * - `status-<code>`: that HTTP error (429 carries `retry-after: 7`); `context`: context_length_exceeded;
 * - `hang`: never answers; `slow-ok`: answers after 800 ms; `headers-then-silence`: a 200 stream that never sends a chunk; `slow-stream`: two chunks then silence; `cut-stream`: two chunks then a reset;
 * - `error-first`: a 200 stream whose first event is an error; `error-after-output`: two chunks then an error event.
 */
export const fakeAnswer = ['Hello', ' from', ' the', ' fake', ' upstream', '.'];
export const fakeUsage = {
  prompt_tokens: 11,
  completion_tokens: 7,
  total_tokens: 18,
  prompt_tokens_details: { cached_tokens: 3 },
  completion_tokens_details: { reasoning_tokens: 2 },
};

interface ChatBody {
  model?: string;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
}

export async function startFakeOpenAiUpstream(): Promise<FakeServer> {
  return startFakeServer((request, response) => {
    const path = request.url.split('?')[0];
    if (path.endsWith('/embeddings')) return embeddings(request, response);
    if (!path.endsWith('/chat/completions')) return sendJson(response, 404, { error: { message: 'no route' } });
    const body = (request.json ?? {}) as ChatBody;
    const model = body.model ?? 'ok';
    const status = /^status-(\d{3})$/.exec(model);
    if (status) return errorResponse(response, Number(status[1]));
    if (model === 'context') {
      return sendJson(response, 400, {
        error: {
          message: "This model's maximum context length is 8192 tokens.",
          type: 'invalid_request_error',
          param: 'messages',
          code: 'context_length_exceeded',
        },
      });
    }
    if (model === 'hang') return;
    if (model === 'slow-ok') {
      // A slow provider: answers after 800 ms (the fake's latency, not Switchboard's).
      setTimeout(() => (body.stream ? stream(model, body, response) : sendJson(response, 200, completion(model))), 800);
      return;
    }
    if (body.stream) return stream(model, body, response);
    return sendJson(response, 200, completion(model));
  });
}

function errorResponse(response: ServerResponse, status: number): void {
  const headers: Record<string, string> = status === 429 ? { 'retry-after': '7' } : {};
  sendJson(
    response,
    status,
    { error: { message: `fake upstream error ${status}`, type: status === 429 ? 'requests' : 'server_error', param: null, code: null } },
    headers,
  );
}

function completion(model: string): Record<string, unknown> {
  const message: Record<string, unknown> = { role: 'assistant', content: fakeAnswer.join(''), refusal: null };
  let finishReason = 'stop';
  if (model === 'tools') {
    message.content = null;
    message.tool_calls = [
      { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
    ];
    finishReason = 'tool_calls';
  }
  return {
    id: 'chatcmpl-fake123',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: `${model}-2024-01-01`,
    system_fingerprint: 'fp_fake',
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
    usage: fakeUsage,
  };
}

function chunk(model: string, delta: Record<string, unknown>, finishReason: string | null = null): string {
  return `data: ${JSON.stringify({
    id: 'chatcmpl-fake123',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: `${model}-2024-01-01`,
    system_fingerprint: 'fp_fake',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  })}\n\n`;
}

function stream(model: string, body: ChatBody, response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  if (model === 'headers-then-silence') return;
  if (model === 'error-first') {
    response.end(`data: ${JSON.stringify({ error: { message: 'overloaded before output', type: 'server_error', code: 503 } })}\n\n`);
    return;
  }
  const frames: string[] = [chunk(model, { role: 'assistant', content: '', refusal: null })];
  if (model === 'tools') {
    frames.push(
      chunk(model, { tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
      chunk(model, { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
      chunk(model, { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
      chunk(model, { tool_calls: [{ index: 1, id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
      chunk(model, { tool_calls: [{ index: 1, function: { arguments: '{"city":"Oslo"}' } }] }),
      chunk(model, {}, 'tool_calls'),
    );
  } else {
    if (model === 'reasoning') frames.push(chunk(model, { reasoning_content: 'Thinking it over.' }));
    for (const piece of fakeAnswer) frames.push(chunk(model, { content: piece }));
    frames.push(chunk(model, {}, 'stop'));
  }
  if (model === 'slow-stream' || model === 'cut-stream' || model === 'error-after-output') {
    response.write(frames[0] + frames[1] + frames[2]);
    if (model === 'cut-stream') setImmediate(() => response.socket?.destroy());
    if (model === 'error-after-output') {
      response.end(`data: ${JSON.stringify({ error: { message: 'upstream failed mid-stream', type: 'server_error', code: null } })}\n\n`);
    }
    return;
  }
  if (body.stream_options?.include_usage) {
    frames.push(
      `data: ${JSON.stringify({ id: 'chatcmpl-fake123', object: 'chat.completion.chunk', created: 1_700_000_000, model: `${model}-2024-01-01`, choices: [], usage: fakeUsage })}\n\n`,
    );
  }
  frames.push('data: [DONE]\n\n');
  response.end(frames.join(''));
}

function embeddings(request: RecordedRequest, response: ServerResponse): void {
  const body = (request.json ?? {}) as { input?: unknown; model?: string; encoding_format?: string };
  const inputs = Array.isArray(body.input) ? body.input : [body.input];
  const vector = (index: number) => {
    const values = [index, 0.5, -0.5];
    return body.encoding_format === 'base64' ? Buffer.from(new Float32Array(values).buffer).toString('base64') : values;
  };
  sendJson(response, 200, {
    object: 'list',
    data: inputs.map((_, index) => ({ object: 'embedding', index, embedding: vector(index) })),
    model: body.model,
    usage: { prompt_tokens: inputs.length * 3, total_tokens: inputs.length * 3 },
  });
}
