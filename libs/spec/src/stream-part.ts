import type { ErrorPayload } from './errors';
import type { FinishReason } from './finish-reason';
import type { Usage } from './usage';

/**
 * Typed stream parts: what a provider adapter yields and what travels from worker to gateway.
 * `index` is the choice index (OpenAI `n`), 0 for nearly every request.
 */
export type StreamPart =
  | {
      type: 'response-metadata';
      id?: string;
      model?: string;
      created?: number;
      systemFingerprint?: string;
      serviceTier?: string;
      /** Set by the worker: ms from receiving the command to the upstream's first part. */
      upstreamLatencyMs?: number;
    }
  | { type: 'text-delta'; index: number; delta: string }
  | {
      type: 'reasoning-delta';
      index: number;
      delta: string;
      /** The provider's signature of the thinking block (Anthropic), sent with or after its text. */
      signature?: string;
    }
  | { type: 'refusal-delta'; index: number; delta: string }
  | {
      type: 'tool-call-delta';
      index: number;
      toolCallIndex: number;
      id?: string;
      name?: string;
      argumentsDelta: string;
    }
  | { type: 'finish'; index: number; finishReason: FinishReason }
  | { type: 'usage'; usage: Usage }
  | { type: 'warning'; message: string }
  | { type: 'error'; error: ErrorPayload };

export type StreamPartType = StreamPart['type'];
