import { errorOf, requestHeaders } from '../../api/client';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface StreamResult {
  text: string;
  requestId: string | null;
  firstTokenMs: number | null;
  totalMs: number;
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

/**
 * Streams `/v1/chat/completions` with the session (SSE read from the response body), calling
 * `onText` with each piece as it arrives.
 */
export async function streamChat(model: string, messages: ChatMessage[], onText: (text: string) => void, signal: AbortSignal): Promise<StreamResult> {
  const started = performance.now();
  const response = await fetch('/v1/chat/completions', {
    method: 'POST',
    credentials: 'same-origin',
    headers: requestHeaders('POST', true),
    body: JSON.stringify({ model, messages, stream: true, stream_options: { include_usage: true } }),
    signal,
  });
  if (!response.ok || !response.body) throw await errorOf(response);
  const result: StreamResult = { text: '', requestId: response.headers.get('x-request-id'), firstTokenMs: null, totalMs: 0 };
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    const events = buffer.split('\n\n');
    buffer = events.pop() ?? '';
    for (const event of events) {
      const data = event
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trim())
        .join('');
      if (!data || data === '[DONE]') continue;
      const chunk = JSON.parse(data) as { error?: { message: string }; choices?: Array<{ delta?: { content?: string } }>; usage?: StreamResult['usage'] };
      if (chunk.error) throw new Error(chunk.error.message);
      const piece = chunk.choices?.[0]?.delta?.content;
      if (piece) {
        if (result.firstTokenMs === null) result.firstTokenMs = performance.now() - started;
        result.text += piece;
        onText(result.text);
      }
      if (chunk.usage) result.usage = chunk.usage;
    }
  }
  result.totalMs = performance.now() - started;
  return result;
}
