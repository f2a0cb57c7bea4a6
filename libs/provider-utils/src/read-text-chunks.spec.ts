import { describe, expect, it } from 'vitest';
import { readTextChunks } from './read-text-chunks';

async function* bytes(chunks: number[][]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield Uint8Array.from(chunk);
}

async function collect(chunks: number[][]): Promise<string[]> {
  const texts: string[] = [];
  for await (const text of readTextChunks(bytes(chunks))) texts.push(text);
  return texts;
}

const encode = (text: string): number[] => [...new TextEncoder().encode(text)];
const euro = encode('€'); // three bytes

describe('readTextChunks', () => {
  it.each<[string, number[][], string[]]>([
    ['nothing from an empty body', [], []],
    ['one piece a chunk', [encode('Hel'), encode('lo')], ['Hel', 'lo']],
    ['a character split across chunks whole, in the chunk that completes it', [[...encode('1 '), euro[0]], euro.slice(1)], ['1 ', '€']],
    ['no empty pieces for chunks that only start a character', [[], [euro[0]], [euro[1]], [euro[2]]], ['€']],
    ['an unfinished character at the end as the replacement character', [[...encode('a'), euro[0]]], ['a', '\uFFFD']],
  ])('yields %s', async (_name, chunks, expected) => {
    expect(await collect(chunks)).toEqual(expected);
  });
});
