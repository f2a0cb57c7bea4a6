import { SwitchboardError, quoteInput } from '@switchboard/spec';
import type {
  AssistantMessage,
  ChatMessage,
  ChatRequest,
  TextContentPart,
  ThinkingBlock,
  ToolCall,
  ToolChoice,
  UserContentPart,
} from '@switchboard/spec';
import { messagesRequestSchema } from './messages-request.schema';
import type { ContentBlock, MessagesRequest } from './messages-request.schema';

/** Validates an Anthropic Messages body; the first problem is a 400 naming the field. */
export function parseMessagesRequest(body: unknown): MessagesRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new SwitchboardError('invalid_request', 'The request body must be a JSON object');
  }
  const result = messagesRequestSchema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = issue.path.map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`)).join('').replace(/^\./, '');
  throw new SwitchboardError('invalid_request', `${quoteInput(param || 'body')}: ${quoteInput(issue.message, 300)}`, { param: param || null });
}

function text(block: { text: string; cache_control?: TextContentPart['cache_control'] }): TextContentPart {
  return block.cache_control ? { type: 'text', text: block.text, cache_control: block.cache_control } : { type: 'text', text: block.text };
}

function imagePart(block: Extract<ContentBlock, { type: 'image' }>): UserContentPart {
  const source = block.source;
  const url = source.type === 'base64' ? `data:${source.media_type};base64,${source.data}` : source.url;
  return { type: 'image_url', image_url: { url } };
}

function toolResultText(block: Extract<ContentBlock, { type: 'tool_result' }>): string {
  if (typeof block.content === 'string') return block.content;
  return (block.content ?? []).map((part) => (part.type === 'text' ? part.text : '')).join('');
}

/** One Anthropic user turn: tool results become `tool` messages (first), the rest one user message. */
function userMessages(content: string | ContentBlock[]): ChatMessage[] {
  if (typeof content === 'string') return [{ role: 'user', content }];
  const messages: ChatMessage[] = [];
  const parts: UserContentPart[] = [];
  for (const block of content) {
    if (block.type === 'tool_result') {
      const result = toolResultText(block);
      messages.push({ role: 'tool', tool_call_id: block.tool_use_id, content: block.is_error ? `Error: ${result}` : result });
    } else if (block.type === 'text') parts.push(text(block));
    else if (block.type === 'image') parts.push(imagePart(block));
  }
  if (parts.length > 0) messages.push({ role: 'user', content: parts.every((part) => part.type === 'text' && !part.cache_control) ? parts.map((part) => (part as TextContentPart).text).join('\n') : parts });
  return messages;
}

function assistantMessage(content: string | ContentBlock[]): AssistantMessage {
  if (typeof content === 'string') return { role: 'assistant', content };
  const texts: string[] = [];
  const toolCalls: ToolCall[] = [];
  const thinking: ThinkingBlock[] = [];
  for (const block of content) {
    if (block.type === 'text') texts.push(block.text);
    else if (block.type === 'tool_use') {
      toolCalls.push({ id: block.id, type: 'function', function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) } });
    } else if (block.type === 'thinking') thinking.push({ type: 'thinking', thinking: block.thinking, signature: block.signature });
    else if (block.type === 'redacted_thinking') thinking.push({ type: 'redacted_thinking', data: block.data });
  }
  const message: AssistantMessage = { role: 'assistant', content: texts.length > 0 ? texts.join('') : null };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (thinking.length > 0) {
    message.thinking_blocks = thinking;
    message.reasoning_content = thinking.map((block) => block.thinking ?? '').join('');
  }
  return message;
}

function toolChoice(choice: MessagesRequest['tool_choice']): ToolChoice | undefined {
  if (!choice) return undefined;
  switch (choice.type) {
    case 'auto':
      return 'auto';
    case 'any':
      return 'required';
    case 'none':
      return 'none';
    case 'tool':
      return { type: 'function', function: { name: choice.name } };
  }
}

/**
 * The Anthropic request in canonical (OpenAI) form. Lossless for what providers need back:
 * `cache_control` stays on text parts and tools, thinking blocks keep their signatures.
 */
export function convertMessagesRequest(request: MessagesRequest): ChatRequest {
  const messages: ChatMessage[] = [];
  if (request.system !== undefined) {
    messages.push({ role: 'system', content: typeof request.system === 'string' ? request.system : request.system.map(text) });
  }
  for (const message of request.messages) {
    if (message.role === 'user') messages.push(...userMessages(message.content));
    else messages.push(assistantMessage(message.content));
  }
  const chat: ChatRequest = { model: request.model, messages, max_tokens: request.max_tokens };
  if (request.stream) {
    chat.stream = true;
    chat.stream_options = { include_usage: true };
  }
  if (request.temperature !== undefined) chat.temperature = request.temperature;
  if (request.top_p !== undefined) chat.top_p = request.top_p;
  if (request.top_k !== undefined) chat.top_k = request.top_k;
  if (request.stop_sequences?.length) chat.stop = request.stop_sequences;
  if (request.metadata?.user_id) chat.user = request.metadata.user_id;
  if (request.thinking) chat.thinking = request.thinking.type === 'enabled' ? { type: 'enabled', budget_tokens: request.thinking.budget_tokens } : { type: 'disabled' };
  if (request.tools?.length) {
    chat.tools = request.tools.map((tool) => ({
      type: 'function' as const,
      function: { name: tool.name, description: tool.description, parameters: tool.input_schema ?? { type: 'object', properties: {} } },
      ...(tool.cache_control ? { cache_control: tool.cache_control } : {}),
    }));
  }
  const choice = toolChoice(request.tool_choice);
  if (choice) chat.tool_choice = choice;
  if (request.tool_choice && 'disable_parallel_tool_use' in request.tool_choice && request.tool_choice.disable_parallel_tool_use) {
    chat.parallel_tool_calls = false;
  }
  return chat;
}
