import { SwitchboardError } from '@switchboard/spec';
import type { StreamPart } from '@switchboard/spec';
import { upstreamError } from '@switchboard/provider-utils';
import type { GeminiResponse } from './gemini-api-schemas';
import { convertGeminiUsage } from './convert-gemini-usage';
import { mapGeminiFinishReason } from './map-gemini-finish-reason';

/**
 * Gemini response chunks (`streamGenerateContent?alt=sse`, or one whole `generateContent` answer)
 * into stream parts. Gemini has no tool call ids: each call gets a stable `call_<n>`.
 */
export class GeminiStreamTransformer {
  private metadataSent = false;
  private toolCalls = 0;
  private finished = false;
  private lastUsage: GeminiResponse['usageMetadata'];

  constructor(private readonly requestId: string) {}

  transform(chunk: GeminiResponse): StreamPart[] {
    if (chunk.error) throw upstreamError({ provider: 'gemini', status: chunk.error.code ?? 500, message: chunk.error.message, providerCode: chunk.error.status });
    if (chunk.promptFeedback?.blockReason) {
      throw new SwitchboardError('content_policy', `gemini blocked the prompt: ${chunk.promptFeedback.blockReason}`, { providerCode: chunk.promptFeedback.blockReason });
    }
    const parts: StreamPart[] = [];
    if (!this.metadataSent) {
      this.metadataSent = true;
      parts.push({ type: 'response-metadata', id: chunk.responseId ?? `chatcmpl-${this.requestId}`, model: chunk.modelVersion, created: Math.floor(Date.now() / 1000) });
    }
    const candidate = chunk.candidates?.[0];
    for (const part of candidate?.content?.parts ?? []) {
      if (part.functionCall) {
        const toolCallIndex = this.toolCalls++;
        parts.push({ type: 'tool-call-delta', index: 0, toolCallIndex, id: `call_${this.requestId}_${toolCallIndex}`, name: part.functionCall.name, argumentsDelta: JSON.stringify(part.functionCall.args ?? {}) });
      } else if (part.text !== undefined && part.thought) {
        parts.push({ type: 'reasoning-delta', index: 0, delta: part.text });
      } else if (part.text) {
        parts.push({ type: 'text-delta', index: 0, delta: part.text });
      }
    }
    if (chunk.usageMetadata) this.lastUsage = chunk.usageMetadata;
    if (candidate?.finishReason && !this.finished) {
      this.finished = true;
      parts.push({ type: 'finish', index: 0, finishReason: mapGeminiFinishReason(candidate.finishReason, this.toolCalls > 0) });
    }
    return parts;
  }

  /** Gemini repeats cumulative usage on chunks; the last one is the call's. */
  finalParts(): StreamPart[] {
    return [{ type: 'usage', usage: convertGeminiUsage(this.lastUsage) }];
  }
}
