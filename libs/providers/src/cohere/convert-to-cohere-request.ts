import { dropUnsupported } from '@switchboard/provider-utils';
import type { ChatMessage, ChatRequest, TextContentPart, ToolDefinition } from '@switchboard/spec';
import type {
  CohereChatRequest,
  CohereImageContent,
  CohereMessage,
  CohereTextContent,
  CohereTool,
} from './cohere-api-schemas';

export interface ConvertedCohereRequest {
  body: CohereChatRequest;
  warnings: string[];
}

/** Canonical fields Cohere has no equivalent for: dropped with a warning when set. */
const unsupportedFields = ['logit_bias', 'top_logprobs', 'user', 'audio', 'modalities', 'prediction', 'service_tier'] as const;
/** Cohere-native fields a client may send through the OpenAI shape; forwarded as they are. */
const nativeFields = ['k', 'safety_mode', 'documents', 'citation_options', 'strict_tools'] as const;

/**
 * The canonical (OpenAI) request as a Cohere v2 chat request.
 * https://docs.cohere.com/reference/chat
 */
export function convertToCohereRequest(request: ChatRequest, upstreamModel: string, stream: boolean): ConvertedCohereRequest {
  const warnings: string[] = [];
  const body: CohereChatRequest = { model: upstreamModel, messages: convertMessages(request.messages, warnings), stream };

  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maxTokens != null) body.max_tokens = maxTokens;
  if (request.temperature != null) body.temperature = request.temperature;
  if (request.top_p != null) body.p = request.top_p;
  if (request.seed != null) body.seed = request.seed;
  if (request.frequency_penalty != null) body.frequency_penalty = request.frequency_penalty;
  if (request.presence_penalty != null) body.presence_penalty = request.presence_penalty;
  if (request.stop != null) body.stop_sequences = Array.isArray(request.stop) ? request.stop : [request.stop];
  if (request.logprobs) body.logprobs = true;
  if (request.n != null && request.n > 1) warnings.push('cohere returns one choice; n was ignored');

  applyTools(request, body, warnings);
  applyResponseFormat(request, body);
  applyThinking(request, body);

  dropUnsupported(request, unsupportedFields, 'cohere', warnings);
  const passthrough: Record<string, unknown> = body;
  for (const field of nativeFields) {
    if (request[field] !== undefined) passthrough[field] = request[field];
  }
  return { body, warnings };
}

function convertMessages(messages: ChatMessage[], warnings: string[]): CohereMessage[] {
  const converted: CohereMessage[] = [];
  for (const message of messages) {
    switch (message.role) {
      case 'system':
      case 'developer':
        converted.push({ role: 'system', content: textOf(message.content) });
        break;
      case 'user':
        converted.push({ role: 'user', content: convertUserContent(message.content, warnings) });
        break;
      case 'assistant': {
        const text = textOf(message.content ?? '');
        if (message.tool_calls?.length) {
          // Text written before tool calls is Cohere's "tool plan".
          converted.push({
            role: 'assistant',
            ...(text ? { tool_plan: text } : {}),
            tool_calls: message.tool_calls.map((call) => ({
              id: call.id,
              type: 'function' as const,
              function: { name: call.function.name, arguments: call.function.arguments || '{}' },
            })),
          });
        } else {
          converted.push({ role: 'assistant', content: text });
        }
        break;
      }
      case 'tool':
        converted.push({ role: 'tool', tool_call_id: message.tool_call_id, content: textOf(message.content) });
        break;
      case 'function':
        warnings.push('cohere does not support the legacy function role; that message was not sent');
        break;
    }
  }
  return converted;
}

function convertUserContent(
  content: Extract<ChatMessage, { role: 'user' }>['content'],
  warnings: string[],
): string | Array<CohereTextContent | CohereImageContent> {
  if (typeof content === 'string') return content;
  const parts: Array<CohereTextContent | CohereImageContent> = [];
  for (const part of content) {
    if (part.type === 'text') parts.push({ type: 'text', text: part.text });
    else if (part.type === 'image_url') {
      const detail = part.image_url.detail;
      parts.push({ type: 'image_url', image_url: { url: part.image_url.url, ...(detail ? { detail } : {}) } });
    } else warnings.push(`cohere does not accept ${part.type} content; that part was not sent`);
  }
  if (parts.every((part) => part.type === 'text')) return parts.map((part) => (part as CohereTextContent).text).join('');
  return parts;
}

function applyTools(request: ChatRequest, body: CohereChatRequest, warnings: string[]): void {
  const tools = request.tools ?? [];
  if (tools.length === 0) return;
  let offered = tools;
  const choice = request.tool_choice;
  if (choice === 'none') body.tool_choice = 'NONE';
  else if (choice === 'required') body.tool_choice = 'REQUIRED';
  else if (typeof choice === 'object') {
    // Cohere cannot name a tool: offer only that tool and require a call.
    offered = tools.filter((tool) => tool.function.name === choice.function.name);
    body.tool_choice = 'REQUIRED';
  }
  body.tools = offered.map(convertTool);
  if (offered.some((tool) => tool.function.strict)) body.strict_tools = true;
  if (request.parallel_tool_calls === false) warnings.push('cohere cannot turn off parallel tool calls; parallel_tool_calls was ignored');
}

function convertTool(tool: ToolDefinition): CohereTool {
  return {
    type: 'function',
    function: {
      name: tool.function.name,
      ...(tool.function.description ? { description: tool.function.description } : {}),
      ...(tool.function.parameters ? { parameters: tool.function.parameters } : {}),
    },
  };
}

/** https://docs.cohere.com/docs/structured-outputs */
function applyResponseFormat(request: ChatRequest, body: CohereChatRequest): void {
  const format = request.response_format;
  if (!format || format.type === 'text') return;
  if (format.type === 'json_object') body.response_format = { type: 'json_object' };
  else body.response_format = { type: 'json_object', ...(format.json_schema.schema ? { json_schema: format.json_schema.schema } : {}) };
}

/** https://docs.cohere.com/docs/reasoning: only sent when the client asked, non-reasoning models reject it. */
function applyThinking(request: ChatRequest, body: CohereChatRequest): void {
  if (request.thinking) {
    body.thinking =
      request.thinking.type === 'disabled'
        ? { type: 'disabled' }
        : { type: 'enabled', ...(request.thinking.budget_tokens ? { token_budget: request.thinking.budget_tokens } : {}) };
  } else if (request.reasoning_effort) {
    body.thinking = { type: request.reasoning_effort === 'none' ? 'disabled' : 'enabled' };
  }
}

function textOf(content: string | TextContentPart[]): string {
  return typeof content === 'string' ? content : content.map((part) => part.text).join('');
}
