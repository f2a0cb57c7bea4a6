import { SwitchboardError, quoteInput } from '@switchboard/spec';
import type { AssistantMessage, ChatMessage, ChatRequest, ToolDefinition, UserContentPart } from '@switchboard/spec';
import { responsesRequestSchema } from './responses-request.schema';
import type { InputItem, ResponsesRequest } from './responses-request.schema';

export function parseResponsesRequest(body: unknown): ResponsesRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new SwitchboardError('invalid_request', 'The request body must be a JSON object');
  }
  const result = responsesRequestSchema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = issue.path.map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`)).join('').replace(/^\./, '');
  throw new SwitchboardError('invalid_request', `Invalid value for '${quoteInput(param || 'body')}': ${quoteInput(issue.message, 300)}`, { param: param || null });
}

function contentText(content: Extract<InputItem, { role: string }>['content']): string {
  if (typeof content === 'string') return content;
  return content.map((part) => part.text ?? part.refusal ?? '').join('');
}

function userContent(content: Extract<InputItem, { role: string }>['content']): string | UserContentPart[] {
  if (typeof content === 'string') return content;
  const parts: UserContentPart[] = [];
  for (const part of content) {
    if (part.type === 'input_image' && part.image_url) parts.push({ type: 'image_url', image_url: { url: part.image_url } });
    else if (part.text !== undefined) parts.push({ type: 'text', text: part.text });
  }
  return parts.every((part) => part.type === 'text') ? parts.map((part) => (part.type === 'text' ? part.text : '')).join('') : parts;
}

/** Input items as chat messages; consecutive function calls join one assistant turn. */
export function inputMessages(input: ResponsesRequest['input']): ChatMessage[] {
  if (input === undefined) return [];
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  const messages: ChatMessage[] = [];
  let pendingAssistant: AssistantMessage | undefined;
  const flush = () => {
    if (pendingAssistant) messages.push(pendingAssistant);
    pendingAssistant = undefined;
  };
  for (const item of input) {
    if (!('type' in item) || item.type === undefined || item.type === 'message') {
      const message = item as Extract<InputItem, { role: string }>;
      if (message.role === 'assistant') {
        flush();
        pendingAssistant = { role: 'assistant', content: contentText(message.content) };
      } else {
        flush();
        if (message.role === 'user') messages.push({ role: 'user', content: userContent(message.content) });
        else messages.push({ role: message.role, content: contentText(message.content) });
      }
    } else if (item.type === 'function_call') {
      pendingAssistant ??= { role: 'assistant', content: null };
      pendingAssistant.tool_calls = [...(pendingAssistant.tool_calls ?? []), { id: item.call_id, type: 'function', function: { name: item.name, arguments: item.arguments } }];
    } else if (item.type === 'function_call_output') {
      flush();
      messages.push({ role: 'tool', tool_call_id: item.call_id, content: typeof item.output === 'string' ? item.output : JSON.stringify(item.output) });
    } else if (item.type === 'reasoning') {
      pendingAssistant ??= { role: 'assistant', content: null };
      pendingAssistant.reasoning_content = (item.summary ?? []).map((part) => part.text).join('');
    }
  }
  flush();
  return messages;
}

/**
 * The Responses request as a chat request, after the stored history of `previous_response_id`
 * (whose own instructions are not carried over, as OpenAI documents).
 */
export function convertResponsesRequest(request: ResponsesRequest, history: readonly ChatMessage[]): ChatRequest {
  const messages: ChatMessage[] = [];
  if (request.instructions) messages.push({ role: 'system', content: request.instructions });
  messages.push(...history.filter((message) => message.role !== 'system' && message.role !== 'developer'), ...inputMessages(request.input));
  if (messages.length === 0) throw new SwitchboardError('invalid_request', "'input' is required", { param: 'input' });
  const chat: ChatRequest = { model: request.model, messages };
  if (request.stream) {
    chat.stream = true;
    chat.stream_options = { include_usage: true };
  }
  if (request.max_output_tokens) chat.max_tokens = request.max_output_tokens;
  if (request.temperature !== undefined && request.temperature !== null) chat.temperature = request.temperature;
  if (request.top_p !== undefined && request.top_p !== null) chat.top_p = request.top_p;
  if (request.user) chat.user = request.user;
  if (request.parallel_tool_calls !== undefined && request.parallel_tool_calls !== null) chat.parallel_tool_calls = request.parallel_tool_calls;
  if (request.reasoning?.effort) chat.reasoning_effort = request.reasoning.effort;
  const tools: ToolDefinition[] = [];
  for (const tool of request.tools ?? []) {
    if (tool.type === 'function' && 'name' in tool && typeof tool.name === 'string') {
      const parameters = (tool as { parameters?: Record<string, unknown> | null }).parameters;
      tools.push({
        type: 'function',
        function: { name: tool.name, description: (tool as { description?: string | null }).description ?? undefined, parameters: parameters ?? undefined, strict: (tool as { strict?: boolean | null }).strict ?? undefined },
      });
    }
  }
  if (tools.length > 0) chat.tools = tools;
  if (request.tool_choice) chat.tool_choice = typeof request.tool_choice === 'string' ? request.tool_choice : { type: 'function', function: { name: request.tool_choice.name } };
  const format = request.text?.format;
  if (format?.type === 'json_object') chat.response_format = { type: 'json_object' };
  if (format?.type === 'json_schema') {
    chat.response_format = { type: 'json_schema', json_schema: { name: format.name, schema: format.schema, strict: format.strict ?? undefined } };
  }
  return chat;
}
