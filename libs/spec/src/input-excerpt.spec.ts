import { describe, expect, it } from 'vitest';
import { SwitchboardError } from './errors';
import { quoteInput } from './input-excerpt';

describe('quoteInput', () => {
  it('quotes short input whole and cuts long input to an excerpt that says its length', () => {
    expect(quoteInput('gpt-4o')).toBe('gpt-4o');
    const long = 'x'.repeat(1_000_000);
    const quoted = quoteInput(long);
    expect(quoted.length).toBeLessThan(140);
    expect(quoted).toContain('(1000000 characters)');
    expect(quoteInput('abcdef', 3)).toBe('abc... (6 characters)');
  });

  it('bounds every error message and param, whatever a quote site forgot', () => {
    const error = new SwitchboardError('invalid_request', `unknown ${'y'.repeat(100_000)}`, { param: 'z'.repeat(10_000) });
    expect(error.message.length).toBeLessThan(4_200);
    expect(error.param?.length).toBeLessThan(240);
    expect(new SwitchboardError('invalid_request', 'short', { param: 'model' })).toMatchObject({ message: 'short', param: 'model' });
  });
});
