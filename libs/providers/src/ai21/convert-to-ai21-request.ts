import { dropUnsupported, textOf } from '@switchboard/provider-utils';
import type { ChatMessage, ChatRequest, ToolDefinition } from '@switchboard/spec';

/** OpenAI fields the Jamba API reference does not document; they are dropped with a warning. */
const unsupportedFields = [
  'tool_choice',
  'parallel_tool_calls',
  'seed',
  'user',
  'logprobs',
  'top_logprobs',
  'logit_bias',
  'presence_penalty',
  'frequency_penalty',
  'reasoning_effort',
  'thinking',
  'service_tier',
  'store',
  'modalities',
  'audio',
  'prediction',
  'web_search_options',
  'verbosity',
] as const;

export interface Ai21Request {
  request: ChatRequest;
  warnings: string[];
}

/**
 * The canonical request reduced to what Jamba accepts
 * (https://docs.ai21.com/reference/jamba-1-6-api-ref): message contents are plain strings (Jamba
 * reads text only), an assistant message always has a `content` string, `stop` is a list,
 * `response_format` is `text` or `json_object`, and tools carry name, description and parameters
 * only. Fields the reference does not list are dropped with a warning; unknown extras such as
 * `documents` pass through. The result is sent by the shared OpenAI-compatible adapter.
 */
export function convertToAi21Request(request: ChatRequest): Ai21Request {
  const warnings: string[] = [];
  const converted = dropUnsupported({ ...request, messages: convertMessages(request.messages, warnings) }, unsupportedFields, 'ai21', warnings);
  if (typeof converted.stop === 'string') converted.stop = [converted.stop];
  if (converted.response_format?.type === 'json_schema') {
    converted.response_format = { type: 'json_object' };
    warnings.push('ai21 supports response_format json_object only; json_schema was sent as json_object (the schema is not enforced)');
  }
  if (converted.tools) converted.tools = converted.tools.map(plainTool);
  return { request: converted, warnings };
}

function plainTool(tool: ToolDefinition): ToolDefinition {
  const { name, description, parameters } = tool.function;
  return { type: 'function', function: { name, ...(description !== undefined ? { description } : {}), ...(parameters ? { parameters } : {}) } };
}

function convertMessages(messages: readonly ChatMessage[], warnings: string[]): ChatMessage[] {
  let droppedParts = 0;
  const converted = messages.map((message): ChatMessage => {
    switch (message.role) {
      case 'system':
      case 'developer':
        return { role: 'system', content: textOf(message.content) };
      case 'user': {
        if (Array.isArray(message.content)) droppedParts += message.content.filter((part) => part.type !== 'text').length;
        return { role: 'user', content: textOf(message.content) };
      }
      case 'assistant':
        return {
          role: 'assistant',
          content: textOf(message.content),
          ...(message.tool_calls?.length ? { tool_calls: message.tool_calls } : {}),
        };
      case 'tool':
        return { role: 'tool', content: textOf(message.content), tool_call_id: message.tool_call_id };
      case 'function':
        warnings.push('ai21 has no function role; the legacy function message was sent as user text');
        return { role: 'user', content: `${message.name}: ${message.content ?? ''}` };
    }
  });
  if (droppedParts) warnings.push(`ai21 Jamba models read text only; ${droppedParts} non-text content part(s) were not sent`);
  return converted;
}
