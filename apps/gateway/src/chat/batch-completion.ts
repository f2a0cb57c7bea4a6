import { openAiErrorBody } from '@switchboard/api-openai';
import { SwitchboardError } from '@switchboard/spec';
import type { StreamEvent } from '../lifecycle/answer-encoder';
import type { AnswerSink } from '../lifecycle/answer-sink';

/**
 * LiteLLM's batch completion: `model: "a,b"` asks every listed model the same request and answers
 * with the list of their completions, in the order named. The names, or undefined for one model.
 */
export function batchModels(body: unknown): string[] | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const model = (body as { model?: unknown }).model;
  if (typeof model !== 'string' || !model.includes(',')) return undefined;
  const models = model.split(',').map((name) => name.trim());
  if (models.some((name) => name === '')) throw new SwitchboardError('invalid_request', "'model' lists an empty model name", { param: 'model' });
  if (models.length > 10) throw new SwitchboardError('invalid_request', "'model' may list at most 10 models for a batch completion", { param: 'model' });
  if ((body as { stream?: unknown }).stream === true) {
    throw new SwitchboardError('invalid_request', "'stream' is not supported with several models (batch completion answers a list)", { param: 'stream' });
  }
  return models;
}

/**
 * A sink that keeps one whole answer (a batch member's completion, or its error as OpenAI error
 * JSON) for the batch's list. It goes away with the client's connection.
 */
export class CollectingSink implements AnswerSink {
  answer: unknown;
  private code: number | undefined;
  private readonly listeners: Array<() => void> = [];
  private gone = false;

  constructor(parentClosed: (listener: () => void) => void) {
    parentClosed(() => {
      this.gone = true;
      for (const listener of this.listeners.splice(0)) listener();
    });
  }

  get closed(): boolean {
    return this.gone;
  }

  get status(): number | undefined {
    return this.code;
  }

  onClose(listener: () => void): () => void {
    this.listeners.push(listener);
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index >= 0) this.listeners.splice(index, 1);
    };
  }

  error(error: SwitchboardError): void {
    this.code = error.status;
    this.answer = openAiErrorBody(error.toPayload());
  }

  body(body: unknown): void {
    this.code = 200;
    this.answer = body;
  }

  // A batch member is never streamed (refused up front); these keep the interface whole.
  open(): void {
    this.code = 200;
  }

  write(_events: readonly StreamEvent[]): boolean {
    return true;
  }

  drained(): Promise<void> {
    return Promise.resolve();
  }

  end(): void {
    this.code ??= 200;
  }

  fail(_events: readonly StreamEvent[], _inBandError: StreamEvent | undefined, error: SwitchboardError): void {
    this.error(error);
  }

  abort(): void {
    this.gone = true;
  }
}
