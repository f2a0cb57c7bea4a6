import { dropUnsupported } from '@switchboard/provider-utils';
import type { ChatMessage, ChatRequest, TextContentPart, UserContentPart } from '@switchboard/spec';

type Block = Record<string, unknown>;
interface AnthropicTurn {
  role: 'user' | 'assistant';
  content: Block[];
}

/** The forced tool that carries `response_format: json_schema` (Anthropic has no native JSON mode). */
export const jsonToolName = 'json_tool_call';

export interface ConvertedAnthropicRequest {
  body: Record<string, unknown>;
  warnings: string[];
  /** True when the answer arrives as the json tool's input and must be handed back as text. */
  jsonMode: boolean;
}

function textBlock(part: TextContentPart): Block {
  return part.cache_control ? { type: 'text', text: part.text, cache_control: part.cache_control } : { type: 'text', text: part.text };
}

function texts(content: string | TextContentPart[] | null | undefined): Block[] {
  if (content === null || content === undefined || content === '') return [];
  return typeof content === 'string' ? [{ type: 'text', text: content }] : content.map(textBlock);
}

function userBlocks(content: string | UserContentPart[]): Block[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  const blocks: Block[] = [];
  for (const part of content) {
    if (part.type === 'text') blocks.push(textBlock(part));
    else if (part.type === 'image_url') {
      const match = /^data:([^;]+);base64,(.*)$/s.exec(part.image_url.url);
      blocks.push(
        match
          ? { type: 'image', source: { type: 'base64', media_type: match[1], data: match[2] } }
          : { type: 'image', source: { type: 'url', url: part.image_url.url } },
      );
    }
  }
  return blocks;
}

function parseArguments(text: string): unknown {
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    return {};
  }
}

/**
 * Canonical messages as Anthropic's `system` and alternating turns: system / developer messages
 * join `system` (cache_control kept), tool results become `tool_result` blocks of a user turn,
 * assistant thinking blocks are replayed with their signatures, and same-role turns are merged.
 * Reused by Bedrock and Vertex for Claude.
 */
export function convertToAnthropicMessages(messages: readonly ChatMessage[]): { system: Block[]; turns: AnthropicTurn[] } {
  const system: Block[] = [];
  const turns: AnthropicTurn[] = [];
  const push = (role: AnthropicTurn['role'], blocks: Block[]) => {
    if (blocks.length === 0) return;
    const last = turns[turns.length - 1];
    if (last && last.role === role) last.content.push(...blocks);
    else turns.push({ role, content: blocks });
  };
  for (const message of messages) {
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(...texts(message.content));
        break;
      case 'user':
        push('user', userBlocks(message.content));
        break;
      case 'tool':
        push('user', [{ type: 'tool_result', tool_use_id: message.tool_call_id, content: typeof message.content === 'string' ? message.content : message.content.map(textBlock) }]);
        break;
      case 'function':
        push('user', [{ type: 'text', text: message.content ?? '' }]);
        break;
      case 'assistant': {
        const blocks: Block[] = [];
        for (const thinking of message.thinking_blocks ?? []) {
          blocks.push(thinking.type === 'redacted_thinking' ? { type: 'redacted_thinking', data: thinking.data } : { type: 'thinking', thinking: thinking.thinking ?? '', signature: thinking.signature });
        }
        blocks.push(...texts(message.content));
        for (const call of message.tool_calls ?? []) blocks.push({ type: 'tool_use', id: call.id, name: call.function.name, input: parseArguments(call.function.arguments) });
        push('assistant', blocks);
        break;
      }
    }
  }
  return { system, turns };
}

const effortBudgets = { minimal: 1024, low: 1024, medium: 2048, high: 4096 } as const;

/** The Messages request for a canonical chat request. https://docs.claude.com/en/api/messages */
export function convertToAnthropicRequest(request: ChatRequest, upstreamModel: string, stream: boolean): ConvertedAnthropicRequest {
  const warnings: string[] = [];
  const { system, turns } = convertToAnthropicMessages(request.messages);
  const body: Record<string, unknown> = {
    model: upstreamModel,
    messages: turns,
    max_tokens: request.max_completion_tokens ?? request.max_tokens ?? 4096,
  };
  if (system.length > 0) body.system = system.every((block) => !block.cache_control) ? system.map((block) => block.text).join('\n') : system;
  if (stream) body.stream = true;
  if (request.stop) body.stop_sequences = Array.isArray(request.stop) ? request.stop : [request.stop];
  if (request.top_p !== undefined && request.top_p !== null) body.top_p = request.top_p;
  if (typeof request.top_k === 'number') body.top_k = request.top_k;
  if (request.user) body.metadata = { user_id: request.user };
  const budget = request.thinking?.type === 'enabled' ? request.thinking.budget_tokens : request.reasoning_effort && request.reasoning_effort !== 'none' ? effortBudgets[request.reasoning_effort] : undefined;
  if (budget) {
    body.thinking = { type: 'enabled', budget_tokens: budget };
    if (request.temperature !== undefined && request.temperature !== null) warnings.push('temperature is not allowed with extended thinking; it was not sent');
  } else if (request.temperature !== undefined && request.temperature !== null) {
    body.temperature = Math.min(1, request.temperature);
    if (request.temperature > 1) warnings.push('Anthropic accepts temperature up to 1; it was capped');
  }
  const tools = (request.tools ?? []).map((tool) => ({
    name: tool.function.name,
    description: tool.function.description,
    input_schema: tool.function.parameters ?? { type: 'object', properties: {} },
    ...(tool.cache_control ? { cache_control: tool.cache_control } : {}),
  }));
  let jsonMode = false;
  if (request.response_format?.type === 'json_schema' || request.response_format?.type === 'json_object') {
    // No native structured output on every model: a forced tool whose input is the JSON answer (as LiteLLM does).
    jsonMode = true;
    const schema = request.response_format.type === 'json_schema' ? request.response_format.json_schema.schema : undefined;
    tools.push({ name: jsonToolName, description: 'Respond with the JSON object requested.', input_schema: schema ?? { type: 'object' } });
    body.tool_choice = { type: 'tool', name: jsonToolName };
  }
  if (tools.length > 0) body.tools = tools;
  const choice = request.tool_choice;
  if (!jsonMode && choice) {
    if (choice === 'auto') body.tool_choice = { type: 'auto' };
    else if (choice === 'required') body.tool_choice = { type: 'any' };
    else if (choice === 'none') body.tool_choice = { type: 'none' };
    else body.tool_choice = { type: 'tool', name: choice.function.name };
  }
  if (request.parallel_tool_calls === false && body.tool_choice) body.tool_choice = { ...(body.tool_choice as object), disable_parallel_tool_use: true };
  dropUnsupported(request, ['seed', 'logit_bias', 'logprobs', 'presence_penalty', 'frequency_penalty', 'n'], 'anthropic', warnings);
  return { body, warnings, jsonMode };
}
