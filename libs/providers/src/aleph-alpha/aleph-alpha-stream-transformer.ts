import { upstreamError } from '@switchboard/provider-utils';
import type { SseEvent } from '@switchboard/provider-utils';
import { SwitchboardError } from '@switchboard/spec';
import type { StreamPart } from '@switchboard/spec';
import type { AlephAlphaCompleteStreamItem, AlephAlphaErrorBody } from './aleph-alpha-api-schemas';
import { convertAlephAlphaUsage } from './convert-aleph-alpha-usage';
import { mapAlephAlphaFinishReason } from './map-aleph-alpha-finish-reason';

/**
 * A `/complete` stream (`stream: true`): `stream_chunk` events carry text, `stream_summary` ends
 * one completion with its finish reason, and `completion_summary` ends the stream with the token
 * counts (aleph_alpha_client/completion.py, `stream_item_from_json`).
 */
export class AlephAlphaStreamTransformer {
  private metadataSent = false;
  private textStarted = false;
  private done = false;

  constructor(
    private readonly id: string,
    private readonly model: string,
    private readonly warnings: readonly string[],
  ) {}

  get isDone(): boolean {
    return this.done;
  }

  transform(event: SseEvent): StreamPart[] {
    let item: AlephAlphaCompleteStreamItem & AlephAlphaErrorBody;
    try {
      item = JSON.parse(event.data) as AlephAlphaCompleteStreamItem & AlephAlphaErrorBody;
    } catch {
      throw new SwitchboardError('upstream_error', 'aleph_alpha sent a malformed stream event');
    }
    if (item.error !== undefined || event.event === 'error') {
      const message = typeof item.error === 'string' ? item.error : (item.error?.message ?? item.message);
      throw upstreamError({ provider: 'aleph_alpha', status: 500, message, providerCode: item.code });
    }
    const parts = this.metadata();
    switch (item.type) {
      case 'stream_chunk': {
        // The transcript ends with `Assistant:`; the space the model writes after it is not answer text.
        const delta = this.textStarted ? (item.completion ?? '') : (item.completion ?? '').replace(/^\s+/, '');
        if (delta) {
          this.textStarted = true;
          parts.push({ type: 'text-delta', index: item.index ?? 0, delta });
        }
        break;
      }
      case 'stream_summary':
        parts.push({ type: 'finish', index: item.index ?? 0, finishReason: mapAlephAlphaFinishReason(item.finish_reason) });
        break;
      case 'completion_summary':
        this.done = true;
        parts.push({ type: 'usage', usage: convertAlephAlphaUsage(item) });
        break;
    }
    return parts;
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
