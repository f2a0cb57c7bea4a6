import { EventStreamCodec } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { sendJson, startFakeServer } from './fake-server';
import type { FakeServer } from './fake-server';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

function frame(eventType: string, payload: unknown, messageType: 'event' | 'exception' = 'event'): Buffer {
  const typeHeader = messageType === 'event' ? ':event-type' : ':exception-type';
  return Buffer.from(
    codec.encode({
      headers: {
        ':message-type': { type: 'string', value: messageType },
        [typeHeader]: { type: 'string', value: eventType },
        ':content-type': { type: 'string', value: 'application/json' },
      },
      body: fromUtf8(JSON.stringify(payload)),
    }),
  );
}

export const bedrockUsage = { inputTokens: 30, outputTokens: 9, totalTokens: 39, cacheReadInputTokens: 6, cacheWriteInputTokens: 0 };

/**
 * A fake Bedrock Runtime (Converse / ConverseStream with AWS event-stream framing). The model id in
 * the path picks the behaviour: `*tools*` a tool use, `*throttled*` HTTP 429 ThrottlingException,
 * `*stream-exception*` an exception event after some text.
 */
export async function startFakeBedrockUpstream(): Promise<FakeServer> {
  return startFakeServer((request, response) => {
    const match = /^\/model\/([^/]+)\/(converse|converse-stream)$/.exec(request.url);
    if (!match) return sendJson(response, 404, { message: 'not found' });
    const model = decodeURIComponent(match[1]);
    if (model.includes('throttled')) return sendJson(response, 429, { message: 'Too many requests, please wait before trying again.' }, { 'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/' });
    const tools = model.includes('tools');
    if (match[2] === 'converse') {
      return sendJson(response, 200, {
        output: { message: { role: 'assistant', content: tools ? [{ toolUse: { toolUseId: 'tooluse_1', name: 'get_weather', input: { city: 'Paris' } } }] : [{ text: 'Hello from Bedrock.' }] } },
        stopReason: tools ? 'tool_use' : 'end_turn',
        usage: bedrockUsage,
        metrics: { latencyMs: 42 },
      });
    }
    response.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
    const frames = [frame('messageStart', { role: 'assistant' })];
    if (tools) {
      frames.push(frame('contentBlockStart', { contentBlockIndex: 0, start: { toolUse: { toolUseId: 'tooluse_1', name: 'get_weather' } } }));
      frames.push(frame('contentBlockDelta', { contentBlockIndex: 0, delta: { toolUse: { input: '{"city":' } } }));
      frames.push(frame('contentBlockDelta', { contentBlockIndex: 0, delta: { toolUse: { input: '"Paris"}' } } }));
    } else {
      for (const piece of ['Hello', ' from', ' Bedrock.']) frames.push(frame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: piece } }));
    }
    if (model.includes('stream-exception')) {
      frames.push(frame('modelStreamErrorException', { message: 'The model stream failed' }, 'exception'));
      response.end(Buffer.concat(frames));
      return;
    }
    frames.push(frame('contentBlockStop', { contentBlockIndex: 0 }));
    frames.push(frame('messageStop', { stopReason: tools ? 'tool_use' : 'end_turn' }));
    frames.push(frame('metadata', { usage: bedrockUsage, metrics: { latencyMs: 42 } }));
    // Split across writes at odd offsets: the reader must reassemble frames.
    const all = Buffer.concat(frames);
    response.write(all.subarray(0, 7));
    response.end(all.subarray(7));
  });
}
