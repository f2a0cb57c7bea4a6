import { createHash } from 'node:crypto';
import type { ChatMessage, ChatRequest } from '@switchboard/spec';
import { convertToOpenAiCompatibleRequest } from '../openai-compatible/convert-to-openai-compatible-request';
import type { ConvertedRequest } from '../openai-compatible/convert-to-openai-compatible-request';
import { mistralPreset } from './mistral-api';

const base62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Mistral accepts only tool call ids of exactly nine letters or digits ("Tool call id was call_...
 * but must be a-z, A-Z, 0-9, with a length of 9"). Other ids (OpenAI's, Anthropic's, from a
 * fallback) are hashed to nine characters, the same way for the call and for its result.
 */
export function toMistralToolCallId(id: string): string {
  if (/^[A-Za-z0-9]{9}$/.test(id)) return id;
  const digest = createHash('sha256').update(id).digest();
  let converted = '';
  for (let position = 0; position < 9; position++) converted += base62[digest[position] % base62.length];
  return converted;
}

/**
 * The OpenAI-compatible body with Mistral's differences: `random_seed` for `seed`, `any` for a
 * required tool choice, `safe_prompt`, `reasoning_effort` of `none` or `high` only, and messages
 * with nothing Mistral would reject.
 */
export function convertToMistralRequest(
  request: ChatRequest,
  upstreamModel: string,
  stream: boolean,
  params: Readonly<Record<string, unknown>>,
): ConvertedRequest {
  const warnings: string[] = [];
  const { seed, thinking, tool_choice, reasoning_effort, ...rest } = request;
  // Fields in Mistral's own shape; they replace the canonical ones in the OpenAI-compatible body.
  const mistralFields: Record<string, unknown> = { messages: convertMessages(request.messages) };
  if (seed != null) mistralFields.random_seed = seed;
  // https://docs.mistral.ai/capabilities/function_calling: `any` forces a call (`required` is newer).
  if (tool_choice !== undefined) mistralFields.tool_choice = tool_choice === 'required' ? 'any' : tool_choice;
  const effort = mistralReasoningEffort(reasoning_effort, thinking, warnings);
  if (effort) mistralFields.reasoning_effort = effort;
  if (request.safe_prompt === undefined && typeof params.safe_prompt === 'boolean') mistralFields.safe_prompt = params.safe_prompt;

  const converted = convertToOpenAiCompatibleRequest({ ...rest, ...mistralFields }, upstreamModel, stream, mistralPreset);
  return { body: converted.body, warnings: [...converted.warnings, ...warnings] };
}

/** https://docs.mistral.ai/capabilities/reasoning/adjustable: `none` or `high`. */
function mistralReasoningEffort(
  effort: ChatRequest['reasoning_effort'],
  thinking: ChatRequest['thinking'],
  warnings: string[],
): 'none' | 'high' | undefined {
  if (effort === 'none' || effort === 'high') return effort;
  if (effort) {
    warnings.push(`mistral supports reasoning_effort none or high; ${effort} was sent as high`);
    return 'high';
  }
  if (thinking) return thinking.type === 'disabled' ? 'none' : 'high';
  return undefined;
}

function convertMessages(messages: ChatMessage[]): Array<Record<string, unknown>> {
  const toolNames = new Map<string, string>();
  return messages.map((message) => {
    switch (message.role) {
      case 'system':
      case 'developer':
        return { role: 'system', content: withoutCacheControl(message.content) };
      case 'user':
        return { role: 'user', content: withoutCacheControl(message.content) };
      case 'assistant': {
        const converted: Record<string, unknown> = { role: 'assistant' };
        if (message.content != null && message.content !== '') converted.content = message.content;
        if (message.tool_calls?.length) {
          converted.tool_calls = message.tool_calls.map((call) => {
            toolNames.set(call.id, call.function.name);
            return { id: toMistralToolCallId(call.id), type: 'function', function: call.function };
          });
        }
        if (converted.content === undefined && converted.tool_calls === undefined) converted.content = '';
        return converted;
      }
      case 'tool': {
        const name = toolNames.get(message.tool_call_id);
        return { role: 'tool', content: message.content, tool_call_id: toMistralToolCallId(message.tool_call_id), ...(name ? { name } : {}) };
      }
      case 'function':
        return { role: 'tool', content: message.content ?? '', name: message.name };
    }
  });
}

/** Anthropic's `cache_control` markers are not Mistral fields (it rejects unknown ones). */
function withoutCacheControl<Part extends { type: string }>(content: string | Part[]): string | Array<Part | { type: 'text'; text: string }> {
  if (typeof content === 'string') return content;
  return content.map((part) => ('text' in part && part.type === 'text' ? { type: 'text' as const, text: String(part.text) } : part));
}
