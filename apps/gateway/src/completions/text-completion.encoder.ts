import type { ChatResult, StreamPart, SwitchboardError, Usage } from '@switchboard/spec';
import type { AnswerEncoder, EncodedAnswer, StreamEvent } from '../lifecycle/answer-encoder';
import { OpenAiChatEncoder } from '../chat/openai-chat.encoder';

interface ChatChoice {
  index: number;
  message?: { content?: string | null };
  delta?: { content?: string | null };
  finish_reason?: string | null;
}

interface ChatObject {
  id: string;
  created: number;
  model: string;
  choices: ChatChoice[];
  usage?: unknown;
  system_fingerprint?: string | null;
}

/**
 * The legacy Completions API (`text_completion`, https://platform.openai.com/docs/api-reference/completions):
 * the chat answer's text as `choices[].text`, streamed as `text_completion` chunks ending with
 * `[DONE]`, and with `stream_options.include_usage` a last chunk with `choices: []` and the usage.
 */
export class TextCompletionEncoder implements AnswerEncoder {
  readonly doneMarker = '[DONE]';
  private readonly chat: OpenAiChatEncoder;

  constructor(requestId: string, requestModel: string, includeUsage: boolean) {
    this.chat = new OpenAiChatEncoder(requestId, requestModel, includeUsage);
  }

  get usage(): Usage | undefined {
    return this.chat.usage;
  }

  complete(result: ChatResult): EncodedAnswer {
    const encoded = this.chat.complete(result);
    const chat = encoded.body as ChatObject;
    const body = {
      id: chat.id,
      object: 'text_completion',
      created: chat.created,
      model: chat.model,
      choices: chat.choices.map((choice) => ({ text: choice.message?.content ?? '', index: choice.index, logprobs: null, finish_reason: choice.finish_reason ?? null })),
      usage: chat.usage,
      system_fingerprint: chat.system_fingerprint ?? null,
    };
    return { ...encoded, body };
  }

  open(): StreamEvent[] {
    return [];
  }

  parts(parts: readonly StreamPart[]): StreamEvent[] {
    return this.chat.parts(parts).flatMap((event) => this.textChunk(event.data as ChatObject));
  }

  finish(): StreamEvent[] {
    return this.chat.finish().flatMap((event) => this.textChunk(event.data as ChatObject));
  }

  fail(): StreamEvent[] {
    return [];
  }

  inBandError(error: SwitchboardError): StreamEvent {
    return this.chat.inBandError(error);
  }

  /** A chat chunk as a text_completion chunk; a chunk with neither text nor a finish reason (the role) is dropped. */
  private textChunk(chunk: ChatObject): StreamEvent[] {
    const choices = chunk.choices
      .filter((choice) => (choice.delta?.content ?? '') !== '' || choice.finish_reason)
      .map((choice) => ({ text: choice.delta?.content ?? '', index: choice.index, logprobs: null, finish_reason: choice.finish_reason ?? null }));
    if (choices.length === 0 && chunk.usage === undefined) return [];
    return [{ data: { id: chunk.id, object: 'text_completion', created: chunk.created, model: chunk.model, choices, ...(chunk.usage !== undefined ? { usage: chunk.usage } : {}) } }];
  }
}
