import type { StreamPart } from '@switchboard/spec';

/**
 * A stream with the conversion warnings added right after its `response-metadata` part (or before
 * the first other part, should the stream have none), for adapters that wrap another's stream.
 */
export async function* withWarnings(parts: AsyncIterable<StreamPart>, warnings: readonly string[]): AsyncGenerator<StreamPart> {
  const pending = [...warnings];
  for await (const part of parts) {
    if (part.type !== 'response-metadata') for (const message of pending.splice(0)) yield { type: 'warning', message };
    yield part;
    if (part.type === 'response-metadata') for (const message of pending.splice(0)) yield { type: 'warning', message };
  }
}
