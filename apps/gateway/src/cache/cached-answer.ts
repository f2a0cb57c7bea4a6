import type { ReplyFrame } from '@switchboard/messaging';
import type { ChatResult, ChatResultChoice, EmbeddingResult, FinishReason, StreamPart, ToolCall, Usage } from '@switchboard/spec';

/**
 * One stored answer, in the canonical form every client API is encoded from: a `ChatResult` (a
 * streamed answer is folded into one once complete) or an `EmbeddingResult`. So one entry answers
 * chat, Messages and Responses requests, streamed or not.
 */
export interface CachedEntry {
  v: 1;
  kind: 'chat' | 'embedding';
  /** When it was stored (ms since the epoch): `s-maxage` compares against it. */
  storedAt: number;
  /** The deployment that answered, for the hit's headers, usage event and Responses session. */
  deploymentId: string;
  modelGroup: string;
  result: ChatResult | EmbeddingResult;
}

interface ChoiceState {
  content: string;
  reasoning: string;
  refusal: string;
  hasContent: boolean;
  toolCalls: Map<number, ToolCall>;
  finishReason?: FinishReason;
}

/**
 * The answer a client received, as one result: the worker's `result` frame, or a stream's parts
 * folded together. Undefined when the answer is not one to keep: it failed, was cut, or a choice
 * never finished.
 */
export function resultOfFrames(frames: readonly ReplyFrame[]): ChatResult | EmbeddingResult | undefined {
  const result = frames.find((frame) => frame.kind === 'result');
  if (result?.kind === 'result') return result.result;
  if (!frames.some((frame) => frame.kind === 'end') || frames.some((frame) => frame.kind === 'error')) return undefined;
  const choices = new Map<number, ChoiceState>();
  const choice = (index: number): ChoiceState => {
    let state = choices.get(index);
    if (!state) {
      state = { content: '', reasoning: '', refusal: '', hasContent: false, toolCalls: new Map() };
      choices.set(index, state);
    }
    return state;
  };
  const folded: Omit<ChatResult, 'choices' | 'usage'> = { id: '', model: '', created: 0 };
  let usage: Usage | undefined;
  const warnings: string[] = [];
  for (const frame of frames) {
    if (frame.kind !== 'parts') continue;
    for (const part of frame.parts) {
      switch (part.type) {
        case 'response-metadata':
          if (part.id) folded.id = part.id;
          if (part.model) folded.model = part.model;
          if (part.created) folded.created = part.created;
          if (part.systemFingerprint) folded.systemFingerprint = part.systemFingerprint;
          if (part.serviceTier) folded.serviceTier = part.serviceTier;
          break;
        case 'text-delta': {
          const state = choice(part.index);
          state.content += part.delta;
          state.hasContent = true;
          break;
        }
        case 'reasoning-delta':
          choice(part.index).reasoning += part.delta;
          break;
        case 'refusal-delta':
          choice(part.index).refusal += part.delta;
          break;
        case 'tool-call-delta': {
          const calls = choice(part.index).toolCalls;
          const call = calls.get(part.toolCallIndex) ?? { id: '', type: 'function' as const, function: { name: '', arguments: '' } };
          if (part.id) call.id = part.id;
          if (part.name) call.function.name += part.name;
          call.function.arguments += part.argumentsDelta;
          calls.set(part.toolCallIndex, call);
          break;
        }
        case 'finish':
          choice(part.index).finishReason = part.finishReason;
          break;
        case 'usage':
          usage = part.usage;
          break;
        case 'warning':
          warnings.push(part.message);
          break;
        case 'error':
          return undefined;
      }
    }
  }
  if (choices.size === 0 || !usage) return undefined;
  const resultChoices: ChatResultChoice[] = [];
  for (const [index, state] of [...choices].sort((a, b) => a[0] - b[0])) {
    if (!state.finishReason) return undefined;
    const toolCalls = [...state.toolCalls].sort((a, b) => a[0] - b[0]).map(([, call]) => call);
    resultChoices.push({
      index,
      message: {
        role: 'assistant',
        content: state.hasContent ? state.content : null,
        ...(state.reasoning ? { reasoningContent: state.reasoning } : {}),
        ...(toolCalls.length ? { toolCalls } : {}),
        ...(state.refusal ? { refusal: state.refusal } : {}),
      },
      finishReason: state.finishReason,
    });
  }
  return { ...folded, choices: resultChoices, usage, ...(warnings.length ? { warnings } : {}) };
}

/** Whether an answer is worth keeping: every choice finished normally (never an error or a filter). */
export function isCacheable(result: ChatResult | EmbeddingResult): boolean {
  if (!('choices' in result)) return result.embeddings.length > 0;
  return result.choices.length > 0 && result.choices.every((choice) => choice.finishReason.unified !== 'error' && choice.finishReason.unified !== 'content_filter');
}

/** The usage a hit reports (the stored answer's): what the usage event records, at cost 0. */
export function usageOfResult(result: ChatResult | EmbeddingResult): Usage {
  if ('choices' in result) return result.usage;
  const tokens = result.usage.inputTokens;
  return { inputTokens: { total: tokens, noCache: tokens, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 0, text: 0, reasoning: 0 } };
}

/**
 * The frames a hit is answered with: for a whole answer one `result` frame; for a stream the
 * result as parts (metadata, each choice's reasoning, text, refusal and tool calls, its finish, the
 * usage) and the end. A chat answer gets a fresh id and creation time, as a new completion would.
 */
export function replayFrames(result: ChatResult | EmbeddingResult, stream: boolean, freshId: string, now: number): ReplyFrame[] {
  if (!('choices' in result)) return [{ kind: 'result', result }];
  const fresh: ChatResult = { ...result, id: freshId, created: Math.floor(now / 1000), upstreamLatencyMs: undefined };
  if (!stream) return [{ kind: 'result', result: fresh }];
  return [{ kind: 'parts', parts: partsOfResult(fresh) }, { kind: 'end' }];
}

export function partsOfResult(result: ChatResult): StreamPart[] {
  const parts: StreamPart[] = [
    { type: 'response-metadata', id: result.id, model: result.model, created: result.created, systemFingerprint: result.systemFingerprint, serviceTier: result.serviceTier },
  ];
  for (const message of result.warnings ?? []) parts.push({ type: 'warning', message });
  for (const choice of result.choices) {
    const index = choice.index;
    if (choice.message.reasoningContent) parts.push({ type: 'reasoning-delta', index, delta: choice.message.reasoningContent });
    if (choice.message.content !== null) parts.push({ type: 'text-delta', index, delta: choice.message.content });
    if (choice.message.refusal) parts.push({ type: 'refusal-delta', index, delta: choice.message.refusal });
    (choice.message.toolCalls ?? []).forEach((call, toolCallIndex) => {
      parts.push({ type: 'tool-call-delta', index, toolCallIndex, id: call.id, name: call.function.name, argumentsDelta: call.function.arguments });
    });
    parts.push({ type: 'finish', index, finishReason: choice.finishReason });
  }
  parts.push({ type: 'usage', usage: result.usage });
  return parts;
}
