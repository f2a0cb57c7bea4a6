import { describe, expect, it } from 'vitest';
import { dropUnsupported } from './drop-unsupported';

interface Request {
  model: string;
  seed?: number | null;
  user?: string;
  logprobs?: boolean | null;
  temperature?: number;
}

const fields = ['seed', 'user', 'logprobs'] as const;

describe('dropUnsupported', () => {
  it.each<[string, Request, Request, string[]]>([
    ['nothing when no listed field is set', { model: 'm', temperature: 0.2 }, { model: 'm', temperature: 0.2 }, []],
    [
      'each set field, in the order of the list',
      { model: 'm', logprobs: false, seed: 7, user: 'u1', temperature: 0.2 },
      { model: 'm', temperature: 0.2 },
      ['acme does not support seed; it was not sent', 'acme does not support user; it was not sent', 'acme does not support logprobs; it was not sent'],
    ],
    ['not a null field, which is kept as it is', { model: 'm', seed: null }, { model: 'm', seed: null }, []],
  ])('drops %s', (_name, request, expected, expectedWarnings) => {
    const warnings: string[] = [];
    expect(dropUnsupported(request, fields, 'acme', warnings)).toEqual(expected);
    expect(warnings).toEqual(expectedWarnings);
  });

  it('adds to the warnings there are and leaves the request it was given alone', () => {
    const request: Request = { model: 'm', seed: 7 };
    const warnings = ['earlier'];
    dropUnsupported(request, fields, 'acme', warnings);
    expect(warnings).toEqual(['earlier', 'acme does not support seed; it was not sent']);
    expect(request).toEqual({ model: 'm', seed: 7 });
  });
});
