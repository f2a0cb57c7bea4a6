// A fast fake OpenAI upstream for the benchmark: pre-serialised bodies, no delay.
// Non-stream: one chat.completion JSON. Stream: exactly 22 SSE events (role chunk, 19 content
// chunks, a finish chunk with usage, [DONE]), written at once.
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 0);
const completion = Buffer.from(
  JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created: 1700000000,
    model: 'bench-model',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from the benchmark upstream. '.repeat(3) }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: 12, completion_tokens: 24, total_tokens: 36 },
  }),
);
const chunk = (delta, finish = null, usage = undefined) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1700000000, model: 'bench-model', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...(usage ? { usage } : {}) })}\n\n`;
const events = [chunk({ role: 'assistant', content: '' })];
for (let index = 0; index < 19; index += 1) events.push(chunk({ content: `token${index} ` }));
events.push(chunk({}, 'stop', { prompt_tokens: 12, completion_tokens: 19, total_tokens: 31 }));
events.push('data: [DONE]\n\n');
const stream = Buffer.from(events.join(''));

const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (data) => chunks.push(data));
  request.on('end', () => {
    const wantsStream = Buffer.concat(chunks).includes('"stream":true');
    if (wantsStream) {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'content-length': stream.length });
      response.end(stream);
    } else {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': completion.length });
      response.end(completion);
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1', () => process.send?.({ port: server.address().port }));
