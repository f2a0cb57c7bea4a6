import { describe, expect, it } from 'vitest';
import type { StreamPart } from '@switchboard/spec';
import { withWarnings } from './stream-warnings';

async function* stream(parts: StreamPart[]): AsyncGenerator<StreamPart> {
  yield* parts;
}

async function collect(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const collected: StreamPart[] = [];
  for await (const part of parts) collected.push(part);
  return collected;
}

const metadata: StreamPart = { type: 'response-metadata', id: 'r1', model: 'm', created: 1 };
const delta: StreamPart = { type: 'text-delta', index: 0, delta: 'Hi' };
const finish: StreamPart = { type: 'finish', index: 0, finishReason: { unified: 'stop', raw: 'stop' } };
const warning = (message: string): StreamPart => ({ type: 'warning', message });

describe('withWarnings', () => {
  it.each<[string, StreamPart[], string[], StreamPart[]]>([
    ['the stream as it is without warnings', [metadata, delta, finish], [], [metadata, delta, finish]],
    ['the warnings right after the metadata', [metadata, delta, finish], ['a', 'b'], [metadata, warning('a'), warning('b'), delta, finish]],
    ['the warnings before the first part of a stream without metadata', [delta, finish], ['a'], [warning('a'), delta, finish]],
    ['the warnings once, though metadata comes twice', [metadata, metadata, delta], ['a'], [metadata, warning('a'), metadata, delta]],
    ['no warnings for an empty stream', [], ['a'], []],
  ])('gives %s', async (_name, parts, warnings, expected) => {
    expect(await collect(withWarnings(stream(parts), warnings))).toEqual(expected);
  });
});
