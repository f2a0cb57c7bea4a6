import { describe, expect, it } from 'vitest';
import { encodeBinaryEvent, encodeEvent, readEventStream } from './aws-event-stream';
import type { DecodedEvent } from './aws-event-stream';

async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let start = 0; start < bytes.length; start += size) yield bytes.slice(start, start + size);
}

async function decode(chunks: AsyncIterable<Uint8Array>): Promise<DecodedEvent[]> {
  const events: DecodedEvent[] = [];
  for await (const event of readEventStream(chunks)) events.push(event);
  return events;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const all = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  return all;
}

describe('readEventStream', () => {
  // "café" ends in a two-byte character; the first PayloadPart ends between its bytes.
  const word = new TextEncoder().encode('data: café\n\n');
  const stream = concat([
    encodeBinaryEvent('PayloadPart', word.slice(0, 10)),
    encodeBinaryEvent('PayloadPart', word.slice(10)),
    encodeEvent('ModelStreamError', { Message: 'stream broke', ErrorCode: 'StreamBroken' }, 'exception'),
  ]);

  it.each([1, 3, 7, 64, stream.length])('decodes the same messages when the network delivers %i bytes at a time', async (size) => {
    const events = await decode(chunked(stream, size));
    expect(events.map((event) => [event.messageType, event.eventType ?? event.exceptionType])).toEqual([
      ['event', 'PayloadPart'],
      ['event', 'PayloadPart'],
      ['exception', 'ModelStreamError'],
    ]);
    // Raw bytes are kept: the split character is whole again only once both parts are joined.
    expect(new TextDecoder().decode(concat([events[0].bytes, events[1].bytes]))).toBe('data: café\n\n');
    expect(JSON.parse(events[2].payload)).toEqual({ Message: 'stream broke', ErrorCode: 'StreamBroken' });
  });

  it('refuses a corrupted message (CRC check) instead of yielding garbage', async () => {
    const corrupted = encodeEvent('contentBlockDelta', { delta: { text: 'hi' } });
    corrupted[corrupted.length - 6] ^= 0xff;
    await expect(decode(chunked(corrupted, 5))).rejects.toThrow();
  });
});
