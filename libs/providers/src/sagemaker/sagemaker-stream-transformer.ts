import { SwitchboardError } from '@switchboard/spec';
import type { StreamPart } from '@switchboard/spec';
import type { SseEvent } from '@switchboard/provider-utils';
import type { TgiStreamEvent } from './sagemaker-api-schemas';
import { convertSagemakerUsage } from './convert-sagemaker-usage';
import { mapSagemakerFinishReason } from './map-sagemaker-finish-reason';
import { tgiStreamError } from './sagemaker-error';

/**
 * TGI's stream (SSE `data:` events, carried in PayloadParts) into parts: a token per event
 * (special tokens such as `</s>` are not text), and a final event with `generated_text` (and
 * `details` when asked for) that finishes the answer with its usage. An `{error}` event fails it.
 */
export class SagemakerStreamTransformer {
  private metadataSent = false;
  private done = false;
  private output = '';

  constructor(
    private readonly id: string,
    private readonly model: string,
    private readonly promptText: string,
  ) {}

  get isDone(): boolean {
    return this.done;
  }

  transform(event: SseEvent): StreamPart[] {
    if (!event.data.trim()) return [];
    let data: TgiStreamEvent;
    try {
      data = JSON.parse(event.data) as TgiStreamEvent;
    } catch {
      throw new SwitchboardError('upstream_error', 'sagemaker sent a malformed stream event');
    }
    if (typeof data.error === 'string') throw tgiStreamError('sagemaker', data.error, data.error_type);
    const parts = this.metadata();
    const text = data.token?.special ? '' : (data.token?.text ?? '');
    if (text) {
      this.output += text;
      parts.push({ type: 'text-delta', index: 0, delta: text });
    }
    if (data.generated_text != null || data.details) {
      this.done = true;
      parts.push(...this.end(data));
    }
    return parts;
  }

  /** A stream that ended without TGI's final event still ends the answer, with estimated usage. */
  finish(): StreamPart[] {
    return this.done ? [] : [...this.metadata(), ...this.end({})];
  }

  private end(data: TgiStreamEvent): StreamPart[] {
    return [
      { type: 'finish', index: 0, finishReason: mapSagemakerFinishReason(data.details?.finish_reason) },
      { type: 'usage', usage: convertSagemakerUsage(data.details, this.promptText, this.output) },
    ];
  }

  private metadata(): StreamPart[] {
    if (this.metadataSent) return [];
    this.metadataSent = true;
    return [{ type: 'response-metadata', id: this.id, model: this.model, created: Math.floor(Date.now() / 1000) }];
  }
}
