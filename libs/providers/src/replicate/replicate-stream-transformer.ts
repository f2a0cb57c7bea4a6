import type { SseEvent } from '@switchboard/provider-utils';
import type { StreamPart } from '@switchboard/spec';
import { replicateStreamError } from './replicate-error';
import { mapReplicateFinishReason } from './map-replicate-finish-reason';

/**
 * A prediction's stream (https://replicate.com/docs/topics/predictions/streaming): `output`
 * events carry plain text, `error` events `{"detail"}`, and `done` ends it with `{}` or
 * `{"reason": "canceled" | "error"}`. Usage is not in the stream; the adapter adds it after `done`.
 */
export class ReplicateStreamTransformer {
  private metadataSent = false;
  private done = false;
  private output = '';

  constructor(
    private readonly id: string,
    private readonly model: string,
    private readonly warnings: readonly string[],
  ) {}

  get isDone(): boolean {
    return this.done;
  }

  /** The text streamed so far (for estimating output tokens). */
  get text(): string {
    return this.output;
  }

  transform(event: SseEvent): StreamPart[] {
    switch (event.event) {
      case 'output':
        if (!event.data) return [];
        this.output += event.data;
        return [...this.metadata(), { type: 'text-delta', index: 0, delta: event.data }];
      case 'error':
        throw replicateStreamError(event.data);
      case 'done': {
        this.done = true;
        const reason = readDoneReason(event.data);
        if (reason === 'error') throw replicateStreamError('{"detail":"the prediction failed"}');
        return [...this.metadata(), { type: 'finish', index: 0, finishReason: mapReplicateFinishReason(reason) }];
      }
      default:
        return [];
    }
  }

  private metadata(): StreamPart[] {
    if (this.metadataSent) return [];
    this.metadataSent = true;
    return [
      { type: 'response-metadata', id: this.id, model: this.model, created: Math.floor(Date.now() / 1000) },
      ...this.warnings.map((message): StreamPart => ({ type: 'warning', message })),
    ];
  }
}

function readDoneReason(data: string): string | undefined {
  try {
    const reason = (JSON.parse(data) as { reason?: unknown }).reason;
    return typeof reason === 'string' && reason ? reason : undefined;
  } catch {
    return undefined;
  }
}
