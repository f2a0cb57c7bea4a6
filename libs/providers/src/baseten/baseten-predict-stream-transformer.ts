import { estimatedUsage } from '@switchboard/provider-utils';
import type { StreamPart } from '@switchboard/spec';

/**
 * A Truss model that streams from `/predict` writes its generator's text as raw bytes
 * (https://docs.baseten.co/development/model/streaming-and-endpoints); each piece becomes a text delta, and the end of
 * the body is the end of the answer, with usage estimated from the text.
 */
export class BasetenPredictStreamTransformer {
  private metadataSent = false;
  private text = '';

  constructor(
    private readonly id: string,
    private readonly model: string,
    private readonly promptText: string,
  ) {}

  transform(chunk: string): StreamPart[] {
    this.text += chunk;
    return [...this.metadata(), { type: 'text-delta', index: 0, delta: chunk }];
  }

  finish(): StreamPart[] {
    return [
      ...this.metadata(),
      { type: 'finish', index: 0, finishReason: { unified: 'stop', raw: null } },
      { type: 'usage', usage: estimatedUsage(this.promptText, this.text) },
    ];
  }

  private metadata(): StreamPart[] {
    if (this.metadataSent) return [];
    this.metadataSent = true;
    return [{ type: 'response-metadata', id: this.id, model: this.model, created: Math.floor(Date.now() / 1000) }];
  }
}
