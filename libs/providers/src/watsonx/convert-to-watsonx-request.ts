import { dropUnsupported, textOf } from '@switchboard/provider-utils';
import type { ChatMessage, ChatRequest, ResolvedDeployment, ToolDefinition, UserContentPart } from '@switchboard/spec';
import { watsonxModelScope } from './watsonx-api';

/** OpenAI fields watsonx's chat API has no counterpart for; dropped with a warning. */
const unsupportedFields = [
  'parallel_tool_calls',
  'user',
  'thinking',
  'service_tier',
  'store',
  'modalities',
  'audio',
  'prediction',
  'web_search_options',
  'verbosity',
] as const;

/** Sampling fields watsonx takes with OpenAI's names and meaning. */
const passThroughFields = [
  'temperature',
  'top_p',
  'seed',
  'n',
  'presence_penalty',
  'frequency_penalty',
  'logprobs',
  'top_logprobs',
  'logit_bias',
  'response_format',
] as const;

export interface WatsonxRequest {
  body: Record<string, unknown>;
  warnings: string[];
}

/**
 * The body of POST /ml/v1/text/chat (https://cloud.ibm.com/apidocs/watsonx-ai#text-chat):
 * `model_id` with `project_id` or `space_id`, OpenAI-shaped messages and tools, `tool_choice_option`
 * for auto / none / required and `tool_choice` for a named function, and `max_tokens` (the name
 * of API version 2024-05-31).
 */
export function convertToWatsonxRequest(request: ChatRequest, deployment: ResolvedDeployment): WatsonxRequest {
  const warnings: string[] = [];
  const body: Record<string, unknown> = { ...watsonxModelScope(deployment), messages: convertMessages(request.messages, warnings) };
  if (request.tools?.length) body.tools = request.tools.map(convertTool);
  if (typeof request.tool_choice === 'string') body.tool_choice_option = request.tool_choice;
  else if (request.tool_choice) body.tool_choice = { type: 'function', function: { name: request.tool_choice.function.name } };
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maxTokens != null) body.max_tokens = maxTokens;
  if (request.stop != null) body.stop = typeof request.stop === 'string' ? [request.stop] : request.stop;
  for (const field of passThroughFields) {
    if (request[field] != null) body[field] = request[field];
  }
  const effort = request.reasoning_effort;
  if (effort === 'low' || effort === 'medium' || effort === 'high') body.reasoning_effort = effort;
  else if (effort) warnings.push(`watsonx supports reasoning_effort low, medium or high; ${effort} was not sent`);
  dropUnsupported(request, unsupportedFields, 'watsonx', warnings);
  return { body, warnings };
}

/**
 * Function tools without `strict` and without `additionalProperties: false`, which strict OpenAI
 * schemas carry and watsonx does not take (LiteLLM removes both for watsonx as well).
 */
function convertTool(tool: ToolDefinition): Record<string, unknown> {
  const { name, description, parameters } = tool.function;
  return {
    type: 'function',
    function: { name, ...(description !== undefined ? { description } : {}), ...(parameters ? { parameters: withoutClosedObjects(parameters) } : {}) },
  };
}

function withoutClosedObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutClosedObjects);
  if (!schema || typeof schema !== 'object') return schema;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'additionalProperties' && value === false) continue;
    result[key] = withoutClosedObjects(value);
  }
  return result;
}

function convertMessages(messages: readonly ChatMessage[], warnings: string[]): Array<Record<string, unknown>> {
  let droppedParts = 0;
  const converted = messages.map((message): Record<string, unknown> => {
    switch (message.role) {
      case 'system':
      case 'developer':
        return { role: 'system', content: textOf(message.content) };
      case 'user': {
        if (typeof message.content === 'string') return { role: 'user', content: message.content };
        const parts = message.content.flatMap(convertUserPart);
        droppedParts += message.content.length - parts.length;
        return { role: 'user', content: parts };
      }
      case 'assistant': {
        const content = textOf(message.content);
        return {
          role: 'assistant',
          ...(content ? { content } : {}),
          ...(message.tool_calls?.length ? { tool_calls: message.tool_calls } : {}),
        };
      }
      case 'tool':
        return { role: 'tool', content: textOf(message.content), tool_call_id: message.tool_call_id };
      case 'function':
        warnings.push('watsonx has no function role; the legacy function message was sent as user text');
        return { role: 'user', content: `${message.name}: ${message.content ?? ''}` };
    }
  });
  if (droppedParts) warnings.push(`watsonx chat takes text and images; ${droppedParts} other content part(s) were not sent`);
  return converted;
}

/** Text parts and images (data: or http URLs) as watsonx takes them; audio and files are not sent. */
function convertUserPart(part: UserContentPart): Array<Record<string, unknown>> {
  if (part.type === 'text') return [{ type: 'text', text: part.text }];
  if (part.type === 'image_url') {
    const { url, detail } = part.image_url;
    return [{ type: 'image_url', image_url: { url, ...(detail ? { detail } : {}) } }];
  }
  return [];
}
