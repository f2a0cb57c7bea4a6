import type { AssistantMessage, ChatResult, ErrorPayload, FinishReason, StreamPart, Usage } from '@switchboard/spec';
import type { ResponseStreamEvent } from './response-stream-event';

type OutputItem =
  | { type: 'reasoning'; id: string; summary: Array<{ type: 'summary_text'; text: string }>; status?: string }
  | { type: 'message'; id: string; status: string; role: 'assistant'; content: Array<{ type: 'output_text'; text: string; annotations: unknown[]; logprobs: unknown[] }> }
  | { type: 'function_call'; id: string; call_id: string; name: string; arguments: string; status: string };

export interface ResponseFields {
  id: string;
  model: string;
  createdAt: number;
  instructions?: string | null;
  previousResponseId?: string | null;
  store: boolean;
  metadata?: Record<string, string> | null;
  maxOutputTokens?: number | null;
  temperature?: number | null;
  topP?: number | null;
  tools?: unknown[];
  toolChoice?: unknown;
  text?: unknown;
  parallelToolCalls?: boolean | null;
}

/**
 * Builds a Responses API answer from stream parts: the output items, the final response object,
 * and, for streams, every event OpenAI sends, each with its `sequence_number`. Events are typed
 * objects; each edge frames them (SSE on HTTP, one message per event on NATS).
 * https://platform.openai.com/docs/api-reference/responses-streaming
 */
export class ResponseBuilder {
  private readonly output: OutputItem[] = [];
  private open: { item: OutputItem; index: number; toolCallIndex?: number } | undefined;
  private sequence = 0;
  private finishReason: FinishReason | undefined;
  private usageSoFar: Usage | undefined;
  private model: string;

  constructor(private readonly fields: ResponseFields) {
    this.model = fields.model;
  }

  /** The usage received so far (for settling budget reservations). */
  get usage(): Usage | undefined {
    return this.usageSoFar;
  }

  start(): ResponseStreamEvent[] {
    const snapshot = this.response('in_progress');
    return [this.event('response.created', { response: snapshot }), this.event('response.in_progress', { response: snapshot })];
  }

  encode(parts: readonly StreamPart[]): ResponseStreamEvent[] {
    const out: ResponseStreamEvent[] = [];
    for (const part of parts) {
      switch (part.type) {
        case 'response-metadata':
          if (part.model) this.model = part.model;
          break;
        case 'reasoning-delta':
          out.push(...this.ensureOpen('reasoning'));
          if (this.open?.item.type === 'reasoning') {
            this.open.item.summary[0].text += part.delta;
            out.push(this.event('response.reasoning_summary_text.delta', { item_id: this.open.item.id, output_index: this.open.index, summary_index: 0, delta: part.delta }));
          }
          break;
        case 'text-delta':
        case 'refusal-delta':
          out.push(...this.ensureOpen('message'));
          if (this.open?.item.type === 'message') {
            this.open.item.content[0].text += part.delta;
            out.push(this.event('response.output_text.delta', { item_id: this.open.item.id, output_index: this.open.index, content_index: 0, delta: part.delta, logprobs: [] }));
          }
          break;
        case 'tool-call-delta':
          if (this.open?.item.type !== 'function_call' || this.open.toolCallIndex !== part.toolCallIndex) {
            out.push(...this.close());
            const item: OutputItem = {
              type: 'function_call',
              id: `fc_${this.fields.id.slice(5)}_${part.toolCallIndex}`,
              call_id: part.id ?? `call_${this.fields.id.slice(5)}_${part.toolCallIndex}`,
              name: part.name ?? '',
              arguments: '',
              status: 'in_progress',
            };
            out.push(this.add(item, part.toolCallIndex));
          }
          if (this.open?.item.type === 'function_call' && part.argumentsDelta) {
            this.open.item.arguments += part.argumentsDelta;
            out.push(this.event('response.function_call_arguments.delta', { item_id: this.open.item.id, output_index: this.open.index, delta: part.argumentsDelta }));
          }
          break;
        case 'finish':
          this.finishReason = part.finishReason;
          break;
        case 'usage':
          this.usageSoFar = part.usage;
          break;
        case 'warning':
        case 'error':
          break;
      }
    }
    return out;
  }

  /** Feeds a whole (non-streamed) answer through the same path. */
  absorb(result: ChatResult): void {
    const choice = result.choices[0];
    const parts: StreamPart[] = [{ type: 'response-metadata', model: result.model }];
    if (choice?.message.reasoningContent) parts.push({ type: 'reasoning-delta', index: 0, delta: choice.message.reasoningContent });
    if (choice?.message.content) parts.push({ type: 'text-delta', index: 0, delta: choice.message.content });
    choice?.message.toolCalls?.forEach((call, index) =>
      parts.push({ type: 'tool-call-delta', index: 0, toolCallIndex: index, id: call.id, name: call.function.name, argumentsDelta: call.function.arguments }),
    );
    if (choice) parts.push({ type: 'finish', index: 0, finishReason: choice.finishReason });
    parts.push({ type: 'usage', usage: result.usage });
    this.encode(parts);
    this.close();
  }

  /** Closing events: the open item's `done` events, then `response.completed` (or `.incomplete`). */
  finish(): ResponseStreamEvent[] {
    const out = this.close();
    const status = this.status();
    return [...out, this.event(status === 'completed' ? 'response.completed' : 'response.incomplete', { response: this.response(status) })];
  }

  failed(error: ErrorPayload): ResponseStreamEvent[] {
    const out = this.close();
    return [...out, this.event('response.failed', { response: { ...this.response('failed'), error: { code: error.code, message: error.message } } })];
  }

  status(): 'completed' | 'incomplete' {
    return this.finishReason?.unified === 'length' ? 'incomplete' : 'completed';
  }

  response(status: string): Record<string, unknown> {
    const usage = this.usageSoFar;
    return {
      id: this.fields.id,
      object: 'response',
      created_at: this.fields.createdAt,
      status,
      error: null,
      incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
      instructions: this.fields.instructions ?? null,
      max_output_tokens: this.fields.maxOutputTokens ?? null,
      model: this.model,
      output: this.output,
      parallel_tool_calls: this.fields.parallelToolCalls ?? true,
      previous_response_id: this.fields.previousResponseId ?? null,
      reasoning: { effort: null, summary: null },
      store: this.fields.store,
      temperature: this.fields.temperature ?? null,
      text: this.fields.text ?? { format: { type: 'text' } },
      tool_choice: this.fields.toolChoice ?? 'auto',
      tools: this.fields.tools ?? [],
      top_p: this.fields.topP ?? null,
      truncation: 'disabled',
      usage: usage
        ? {
            input_tokens: usage.inputTokens.total,
            input_tokens_details: { cached_tokens: usage.inputTokens.cacheRead },
            output_tokens: usage.outputTokens.total,
            output_tokens_details: { reasoning_tokens: usage.outputTokens.reasoning },
            total_tokens: usage.inputTokens.total + usage.outputTokens.total,
          }
        : null,
      user: null,
      metadata: this.fields.metadata ?? {},
    };
  }

  /** The assistant turn this response adds to the conversation, for `previous_response_id`. */
  assistantMessage(): AssistantMessage {
    const message: AssistantMessage = { role: 'assistant', content: null };
    for (const item of this.output) {
      if (item.type === 'message') message.content = (message.content ?? '') + item.content.map((part) => part.text).join('');
      if (item.type === 'reasoning') message.reasoning_content = item.summary.map((part) => part.text).join('');
      if (item.type === 'function_call') {
        message.tool_calls = [...(message.tool_calls ?? []), { id: item.call_id, type: 'function', function: { name: item.name, arguments: item.arguments } }];
      }
    }
    return message;
  }

  private ensureOpen(kind: 'reasoning' | 'message'): ResponseStreamEvent[] {
    if (this.open?.item.type === kind) return [];
    const out = this.close();
    const suffix = this.fields.id.slice(5);
    if (kind === 'reasoning') {
      out.push(this.add({ type: 'reasoning', id: `rs_${suffix}`, summary: [] }));
      const open = this.open as { item: OutputItem } | undefined;
      if (open?.item.type === 'reasoning') {
        open.item.summary.push({ type: 'summary_text', text: '' });
        out.push(this.event('response.reasoning_summary_part.added', { item_id: open.item.id, output_index: this.output.length - 1, summary_index: 0, part: { type: 'summary_text', text: '' } }));
      }
    } else {
      out.push(this.add({ type: 'message', id: `msg_${suffix}_${this.output.length}`, status: 'in_progress', role: 'assistant', content: [] }));
      const open = this.open as { item: OutputItem } | undefined;
      if (open?.item.type === 'message') {
        const part = { type: 'output_text' as const, text: '', annotations: [], logprobs: [] };
        open.item.content.push(part);
        out.push(this.event('response.content_part.added', { item_id: open.item.id, output_index: this.output.length - 1, content_index: 0, part: { ...part } }));
      }
    }
    return out;
  }

  private add(item: OutputItem, toolCallIndex?: number): ResponseStreamEvent {
    this.output.push(item);
    this.open = { item, index: this.output.length - 1, toolCallIndex };
    return this.event('response.output_item.added', { output_index: this.open.index, item: structuredClone(item) });
  }

  private close(): ResponseStreamEvent[] {
    const open = this.open;
    if (!open) return [];
    this.open = undefined;
    const { item, index } = open;
    const out: ResponseStreamEvent[] = [];
    if (item.type === 'message') {
      const part = item.content[0];
      out.push(this.event('response.output_text.done', { item_id: item.id, output_index: index, content_index: 0, text: part.text, logprobs: [] }));
      out.push(this.event('response.content_part.done', { item_id: item.id, output_index: index, content_index: 0, part }));
      item.status = 'completed';
    } else if (item.type === 'function_call') {
      out.push(this.event('response.function_call_arguments.done', { item_id: item.id, output_index: index, name: item.name, arguments: item.arguments }));
      item.status = 'completed';
    } else {
      const part = item.summary[0];
      if (part) {
        out.push(this.event('response.reasoning_summary_text.done', { item_id: item.id, output_index: index, summary_index: 0, text: part.text }));
        out.push(this.event('response.reasoning_summary_part.done', { item_id: item.id, output_index: index, summary_index: 0, part }));
      }
    }
    out.push(this.event('response.output_item.done', { output_index: index, item: structuredClone(item) }));
    return out;
  }

  private event(type: string, data: Record<string, unknown>): ResponseStreamEvent {
    const sequence = this.sequence;
    this.sequence += 1;
    // A snapshot, as the wire sees it at this point: later parts keep changing the items.
    return structuredClone({ type, sequence_number: sequence, ...data });
  }
}
