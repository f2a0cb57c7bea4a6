import { describe, expect, it } from 'vitest';
import type { StreamPart } from '@switchboard/spec';
import { NlpCloudStreamTransformer } from './nlp-cloud-stream-transformer';

describe('NlpCloudStreamTransformer', () => {
  it.each<[string[], string]>([
    [['Hello', ' world'], 'Hello world'],
    [['Hello\u0000', '\u0000 world\u0000'], 'Hello world'],
    [['Hello [DONE]'], 'Hello '],
    [['Hello [DO', 'NE] ignored'], 'Hello '],
    [['Arrays look like [', '1, 2]'], 'Arrays look like [1, 2]'],
    [['ends with [DO'], 'ends with [DO'],
  ])('%j -> %j', (chunks, expected) => {
    const transformer = new NlpCloudStreamTransformer('id', 'm', 'prompt', []);
    const parts: StreamPart[] = [...chunks.flatMap((chunk) => transformer.transform(chunk)), ...transformer.finish()];
    expect(parts.flatMap((part) => (part.type === 'text-delta' ? [part.delta] : [])).join('')).toBe(expected);
    expect(parts.filter((part) => part.type === 'response-metadata')).toHaveLength(1);
    expect(parts.at(-2)).toMatchObject({ type: 'finish' });
  });
});
