import type { StreamPart, Usage } from '@switchboard/spec';
import { openAiFinishReason } from './chat-completion-encoder';
import { toOpenAiUsage } from './openai-usage';

export interface ChunkEncoderOptions {
  /** Used until the upstream names its own. */
  fallbackId: string;
  fallbackModel: string;
  includeUsage: boolean;
}

interface ChunkDelta {
  role?: 'assistant';
  content?: string | null;
  reasoning_content?: string;
  refusal?: string;
  tool_calls?: Array<{ index: number; id?: string; type?: 'function'; function: { name?: string; arguments: string } }>;
}

/**
 * Encodes stream parts as Chat Completions SSE frames (`data: <chunk>\n\n`), as OpenAI sends them:
 * the first delta of each choice carries `role: "assistant"`; with `include_usage`, every chunk has
 * `usage: null` and a last chunk with `choices: []` carries the usage; the stream ends with `data: [DONE]`.
 * https://platform.openai.com/docs/api-reference/chat/streaming
 */
export class ChatChunkEncoder {
  private id: string;
  private model: string;
  private created = Math.floor(Date.now() / 1000);
  private systemFingerprint: string | undefined;
  private readonly roleSent = new Set<number>();
  private usage: Usage | undefined;
  /** Text and tool-argument characters delivered, for billing what a cut stream delivered. */
  deliveredCharacters = 0;

  constructor(private readonly options: ChunkEncoderOptions) {
    this.id = options.fallbackId;
    this.model = options.fallbackModel;
  }

  get receivedUsage(): Usage | undefined {
    return this.usage;
  }

  /** Frames for these parts; an empty string when they produce no chunk. */
  encode(parts: readonly StreamPart[]): string {
    let frames = '';
    for (const chunk of this.chunks(parts)) frames += `data: ${JSON.stringify(chunk)}\n\n`;
    return frames;
  }

  /** The chunk objects for these parts (the in-process SDK yields these). */
  chunks(parts: readonly StreamPart[]): Array<Record<string, unknown>> {
    const chunks: Array<Record<string, unknown>> = [];
    const push = (chunk: Record<string, unknown>) => chunks.push(chunk);
    for (const part of parts) {
      switch (part.type) {
        case 'response-metadata':
          if (part.id) this.id = part.id;
          if (part.model) this.model = part.model;
          if (part.created) this.created = part.created;
          this.systemFingerprint = part.systemFingerprint;
          break;
        case 'text-delta':
          this.deliveredCharacters += part.delta.length;
          push(this.frame(part.index, { content: part.delta }, null));
          break;
        case 'reasoning-delta':
          this.deliveredCharacters += part.delta.length;
          push(this.frame(part.index, { reasoning_content: part.delta }, null));
          break;
        case 'refusal-delta':
          push(this.frame(part.index, { refusal: part.delta }, null));
          break;
        case 'tool-call-delta': {
          this.deliveredCharacters += part.argumentsDelta.length;
          const call: NonNullable<ChunkDelta['tool_calls']>[number] = {
            index: part.toolCallIndex,
            function: { arguments: part.argumentsDelta },
          };
          if (part.id) {
            call.id = part.id;
            call.type = 'function';
          }
          if (part.name) call.function.name = part.name;
          push(this.frame(part.index, { tool_calls: [call] }, null));
          break;
        }
        case 'finish':
          push(this.frame(part.index, {}, openAiFinishReason(part.finishReason)));
          break;
        case 'usage':
          this.usage = part.usage;
          break;
        case 'warning':
        case 'error':
          break;
      }
    }
    return chunks;
  }

  /** The final usage chunk (`choices: []`), when the client asked for usage and it arrived. */
  usageChunk(): Record<string, unknown> | undefined {
    if (!this.options.includeUsage || !this.usage) return undefined;
    return {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      system_fingerprint: this.systemFingerprint ?? null,
      choices: [],
      usage: toOpenAiUsage(this.usage),
    };
  }

  /** The closing frames: the usage chunk when asked for, then `[DONE]`. */
  finish(): string {
    const usage = this.usageChunk();
    return `${usage ? `data: ${JSON.stringify(usage)}\n\n` : ''}data: [DONE]\n\n`;
  }

  get responseId(): string {
    return this.id;
  }

  private frame(index: number, delta: ChunkDelta, finishReason: string | null): Record<string, unknown> {
    if (!this.roleSent.has(index) && finishReason === null) {
      this.roleSent.add(index);
      delta = { role: 'assistant', ...delta };
      if (delta.content === undefined && !delta.tool_calls) delta.content = '';
    }
    const chunk: Record<string, unknown> = {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      system_fingerprint: this.systemFingerprint ?? null,
      choices: [{ index, delta, logprobs: null, finish_reason: finishReason }],
    };
    if (this.options.includeUsage) chunk.usage = null;
    return chunk;
  }
}

/** An error after streaming started: OpenAI's SDK throws on a `data: {"error":...}` frame. */
export function encodeStreamError(body: unknown): string {
  return `data: ${JSON.stringify(body)}\n\n`;
}
