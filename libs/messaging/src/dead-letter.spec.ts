import { headers as natsHeaders } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { originalMessageId, replayHeader, replayedForAnother, serverFeatures, terminate } from './dead-letter';

describe('dead letters across nats-server versions', () => {
  it.each([
    ['2.9.10', false],
    ['2.9.25', false],
    ['2.10.0', true],
    ['v2.10.24', true],
    ['2.11.3', true],
    ['3.0.0', true],
    ['2.10.0-RC.3', true],
    [undefined, false],
    ['garbage', false],
  ])('server %s: term with a reason understood = %s', (version, expected) => {
    expect(serverFeatures(version).termWithReason).toBe(expected);
  });

  it('terminates with the reason on 2.10+, and with a plain +TERM before (2.9 ignores "+TERM <reason>" and redelivers forever)', () => {
    const calls: Array<string | undefined> = [];
    const message = { term: (reason?: string) => void calls.push(reason) };
    terminate(message, 'invalid usage event: requestId: required', serverFeatures('2.10.7'));
    terminate(message, 'invalid usage event: requestId: required', serverFeatures('2.9.10'));
    expect(calls).toEqual(['invalid usage event: requestId: required', undefined]);
  });

  it('keys a replay by its original message id, and leaves replays for another consumer alone', () => {
    const info = { stream: 'SB_USAGE', streamSequence: 42 };
    const plain = natsHeaders();
    plain.set('Nats-Msg-Id', 'req_1');
    expect(originalMessageId({ headers: plain, info })).toBe('req_1');
    expect(originalMessageId({ headers: undefined, info })).toBe('SB_USAGE:42');
    const replay = natsHeaders();
    replay.set('Nats-Msg-Id', 'replay:SB_USAGE_DLQ:3');
    replay.set(replayHeader.of, 'req_1');
    replay.set(replayHeader.for, 'budget-ledger');
    expect(originalMessageId({ headers: replay, info })).toBe('req_1');
    expect(replayedForAnother(replay, 'budget-ledger')).toBe(false);
    expect(replayedForAnother(replay, 'logging-webhook-all')).toBe(true);
    expect(replayedForAnother(plain, 'logging-webhook-all')).toBe(false);
  });
});
