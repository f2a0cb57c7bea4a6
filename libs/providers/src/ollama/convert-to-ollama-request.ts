import { SwitchboardError } from '@switchboard/spec';
import type { ChatMessage, ChatRequest, TextContentPart } from '@switchboard/spec';
import type { OllamaChatRequest, OllamaMessage, OllamaThink } from './ollama-api-schemas';

export interface ConvertedOllamaRequest {
  body: OllamaChatRequest;
  warnings: string[];
}

/** Ollama model options a client may send at the top level of an OpenAI request (as LiteLLM allows). */
const passthroughOptions = ['top_k', 'min_p', 'num_ctx', 'repeat_penalty', 'repeat_last_n', 'typical_p'] as const;
const unsupportedFields = ['logit_bias', 'logprobs', 'top_logprobs', 'user', 'audio', 'modalities', 'prediction'] as const;

/**
 * The canonical request as a native `/api/chat` request: sampling settings move into `options`,
 * images into `images`, tool call arguments become objects.
 * https://github.com/ollama/ollama/blob/main/docs/api.md#generate-a-chat-completion
 */
export function convertToOllamaRequest(
  request: ChatRequest,
  upstreamModel: string,
  stream: boolean,
  params: Readonly<Record<string, unknown>>,
): ConvertedOllamaRequest {
  const warnings: string[] = [];
  const body: OllamaChatRequest = { model: upstreamModel, messages: convertMessages(request.messages, warnings), stream };

  const options: Record<string, unknown> = {};
  if (request.temperature != null) options.temperature = request.temperature;
  if (request.top_p != null) options.top_p = request.top_p;
  if (request.seed != null) options.seed = request.seed;
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maxTokens != null) options.num_predict = maxTokens;
  if (request.stop != null) options.stop = Array.isArray(request.stop) ? request.stop : [request.stop];
  if (request.presence_penalty != null) options.presence_penalty = request.presence_penalty;
  if (request.frequency_penalty != null) options.frequency_penalty = request.frequency_penalty;
  if (typeof params.num_ctx === 'number') options.num_ctx = params.num_ctx;
  for (const name of passthroughOptions) if (typeof request[name] === 'number') options[name] = request[name];
  if (Object.keys(options).length) body.options = options;

  applyTools(request, body, warnings);
  const format = request.response_format;
  if (format?.type === 'json_object') body.format = 'json';
  else if (format?.type === 'json_schema') body.format = format.json_schema.schema ?? 'json';
  const think = ollamaThink(request, upstreamModel);
  if (think !== undefined) body.think = think;
  const keepAlive = request.keep_alive ?? params.keep_alive;
  if (typeof keepAlive === 'string' || typeof keepAlive === 'number') body.keep_alive = keepAlive;

  if (request.n != null && request.n > 1) warnings.push('ollama returns one choice; n was ignored');
  for (const field of unsupportedFields) {
    if (request[field] != null && request[field] !== false) warnings.push(`ollama does not support ${field}; it was not sent`);
  }
  return { body, warnings };
}

function applyTools(request: ChatRequest, body: OllamaChatRequest, warnings: string[]): void {
  let tools = request.tools ?? [];
  const choice = request.tool_choice;
  // Ollama has no tool_choice: `none` is honoured by offering no tools.
  if (tools.length === 0 || choice === 'none') return;
  if (choice === 'required') warnings.push('ollama cannot force a tool call; tool_choice required was not enforced');
  if (typeof choice === 'object') {
    tools = tools.filter((tool) => tool.function.name === choice.function.name);
    warnings.push(`ollama cannot force a tool call; only ${choice.function.name} was offered`);
  }
  if (request.parallel_tool_calls === false) warnings.push('ollama cannot turn off parallel tool calls; parallel_tool_calls was ignored');
  body.tools = tools.map((tool) => ({
    type: 'function',
    function: {
      name: tool.function.name,
      ...(tool.function.description ? { description: tool.function.description } : {}),
      ...(tool.function.parameters ? { parameters: tool.function.parameters } : {}),
    },
  }));
}

/**
 * `think` is a boolean for most thinking models; gpt-oss takes a level instead.
 * https://github.com/ollama/ollama/blob/main/docs/api.md (think) and ollama-js "thinking levels".
 */
function ollamaThink(request: ChatRequest, model: string): OllamaThink | undefined {
  const explicit = request.think;
  if (typeof explicit === 'boolean' || explicit === 'low' || explicit === 'medium' || explicit === 'high') return explicit;
  if (request.thinking) return request.thinking.type === 'enabled';
  const effort = request.reasoning_effort;
  if (!effort) return undefined;
  if (effort === 'none') return false;
  if (!/gpt-oss/i.test(model)) return true;
  return effort === 'minimal' ? 'low' : effort;
}

function convertMessages(messages: ChatMessage[], warnings: string[]): OllamaMessage[] {
  const toolNames = new Map<string, string>();
  const converted: OllamaMessage[] = [];
  for (const message of messages) {
    switch (message.role) {
      case 'system':
      case 'developer':
        converted.push({ role: 'system', content: textOf(message.content) });
        break;
      case 'user':
        converted.push(convertUserMessage(message.content, warnings));
        break;
      case 'assistant': {
        const assistant: OllamaMessage = { role: 'assistant', content: textOf(message.content ?? '') };
        if (message.reasoning_content) assistant.thinking = message.reasoning_content;
        if (message.tool_calls?.length) {
          assistant.tool_calls = message.tool_calls.map((call) => {
            toolNames.set(call.id, call.function.name);
            return { id: call.id, function: { name: call.function.name, arguments: parseArguments(call.function.arguments) } };
          });
        }
        converted.push(assistant);
        break;
      }
      case 'tool': {
        const name = toolNames.get(message.tool_call_id);
        converted.push({ role: 'tool', content: textOf(message.content), tool_call_id: message.tool_call_id, ...(name ? { tool_name: name } : {}) });
        break;
      }
      case 'function':
        converted.push({ role: 'tool', content: message.content ?? '', tool_name: message.name });
        break;
    }
  }
  return converted;
}

function convertUserMessage(content: Extract<ChatMessage, { role: 'user' }>['content'], warnings: string[]): OllamaMessage {
  if (typeof content === 'string') return { role: 'user', content };
  let text = '';
  const images: string[] = [];
  for (const part of content) {
    if (part.type === 'text') text += part.text;
    else if (part.type === 'image_url') images.push(base64Image(part.image_url.url));
    else warnings.push(`ollama does not accept ${part.type} content; that part was not sent`);
  }
  return { role: 'user', content: text, ...(images.length ? { images } : {}) };
}

/** Ollama takes raw base64 (no `data:` prefix) and does not fetch URLs itself. */
function base64Image(url: string): string {
  const match = /^data:[^;,]+;base64,(.*)$/s.exec(url);
  if (match) return match[1];
  throw new SwitchboardError('invalid_request', 'ollama accepts images only as base64 data: URLs, not links', {
    param: 'messages',
  });
}

function parseArguments(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text || '{}');
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function textOf(content: string | TextContentPart[]): string {
  return typeof content === 'string' ? content : content.map((part) => part.text).join('');
}
