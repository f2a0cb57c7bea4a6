import { describe, expect, it } from 'vitest';
import { parseUpstreamJson } from './parse-upstream-json';

describe('parseUpstreamJson', () => {
  it('parses JSON and refuses anything else as upstream_error naming the source, never quoting the body', () => {
    expect(parseUpstreamJson<{ a: number }>('{"a":1}', 'mistral')).toEqual({ a: 1 });
    let error: unknown;
    try {
      parseUpstreamJson('<html>secret-token-abc</html>', 'mistral');
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'upstream_error', status: 502, message: 'mistral returned a response that is not JSON' });
    expect(String((error as Error).message)).not.toContain('secret-token');
  });
});
