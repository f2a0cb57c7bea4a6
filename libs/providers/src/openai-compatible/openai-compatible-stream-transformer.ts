import { SwitchboardError } from '@switchboard/spec';
import type { StreamPart } from '@switchboard/spec';
import type { SseEvent } from '@switchboard/provider-utils';
import { upstreamError } from '@switchboard/provider-utils';
import type { OpenAiCompletion } from './openai-compatible-api-schemas';
import { convertOpenAiCompatibleUsage } from './convert-openai-compatible-usage';
import { mapOpenAiCompatibleFinishReason } from './map-openai-compatible-finish-reason';

/**
 * Turns OpenAI chat completion chunks (SSE `data:` events) into stream parts.
 * Holds the per-stream state: whether metadata was sent and whether the stream is done.
 */
export class OpenAiCompatibleStreamTransformer {
  private metadataSent = false;
  private done = false;

  constructor(private readonly provider: string) {}

  get isDone(): boolean {
    return this.done;
  }

  transform(event: SseEvent): StreamPart[] {
    if (event.data === '[DONE]') {
      this.done = true;
      return [];
    }
    let chunk: OpenAiCompletion;
    try {
      chunk = JSON.parse(event.data) as OpenAiCompletion;
    } catch {
      throw new SwitchboardError('upstream_error', `${this.provider} sent a malformed stream event`);
    }
    if (chunk.error || event.event === 'error') {
      const error = typeof chunk.error === 'string' ? { message: chunk.error } : (chunk.error ?? {});
      throw upstreamError({
        provider: this.provider,
        status: statusFromStreamError(error.code),
        message: error.message,
        providerCode: error.code === undefined || error.code === null ? error.type : String(error.code),
      });
    }
    const parts: StreamPart[] = [];
    if (!this.metadataSent) {
      this.metadataSent = true;
      parts.push({
        type: 'response-metadata',
        id: chunk.id,
        model: chunk.model,
        created: chunk.created,
        systemFingerprint: chunk.system_fingerprint ?? undefined,
        serviceTier: chunk.service_tier ?? undefined,
      });
    }
    for (const choice of chunk.choices ?? []) {
      const index = choice.index ?? 0;
      const delta = choice.delta ?? {};
      const reasoning = delta.reasoning_content ?? delta.reasoning;
      if (reasoning) parts.push({ type: 'reasoning-delta', index, delta: reasoning });
      if (delta.content) parts.push({ type: 'text-delta', index, delta: delta.content });
      if (delta.refusal) parts.push({ type: 'refusal-delta', index, delta: delta.refusal });
      for (const toolCall of delta.tool_calls ?? []) {
        parts.push({
          type: 'tool-call-delta',
          index,
          toolCallIndex: toolCall.index ?? 0,
          id: toolCall.id,
          name: toolCall.function?.name,
          argumentsDelta: toolCall.function?.arguments ?? '',
        });
      }
      if (choice.finish_reason) {
        parts.push({ type: 'finish', index, finishReason: mapOpenAiCompatibleFinishReason(choice.finish_reason) });
      }
    }
    if (chunk.usage) parts.push({ type: 'usage', usage: convertOpenAiCompatibleUsage(chunk.usage) });
    return parts;
  }
}

function statusFromStreamError(code: string | number | null | undefined): number {
  if (typeof code === 'number' && code >= 400 && code < 600) return code;
  if (typeof code === 'string' && /^\d{3}$/.test(code)) return Number(code);
  if (typeof code === 'string' && /rate_limit/.test(code)) return 429;
  return 500;
}
