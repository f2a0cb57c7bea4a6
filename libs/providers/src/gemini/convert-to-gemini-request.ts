import { dropUnsupported } from '@switchboard/provider-utils';
import type { ChatMessage, ChatRequest, TextContentPart, UserContentPart } from '@switchboard/spec';

type Part = Record<string, unknown>;
interface Content {
  role: 'user' | 'model';
  parts: Part[];
}

const unsupportedSchemaKeys = new Set(['$schema', 'additionalProperties', '$id', '$ref', '$defs', 'definitions', 'examples', 'strict']);

/** JSON Schema reduced to the OpenAPI subset Gemini accepts (https://ai.google.dev/api/caching#Schema). */
export function toGeminiSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toGeminiSchema);
  if (!schema || typeof schema !== 'object') return schema;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) if (!unsupportedSchemaKeys.has(key)) result[key] = toGeminiSchema(value);
  return result;
}

function text(content: string | TextContentPart[] | null | undefined): string {
  if (!content) return '';
  return typeof content === 'string' ? content : content.map((part) => part.text).join('');
}

function userParts(content: string | UserContentPart[]): Part[] {
  if (typeof content === 'string') return [{ text: content }];
  return content.flatMap((part): Part[] => {
    if (part.type === 'text') return [{ text: part.text }];
    if (part.type === 'image_url') {
      const match = /^data:([^;]+);base64,(.*)$/s.exec(part.image_url.url);
      return [match ? { inlineData: { mimeType: match[1], data: match[2] } } : { fileData: { fileUri: part.image_url.url } }];
    }
    return [];
  });
}

function parseArguments(value: string): Record<string, unknown> {
  try {
    const parsed: unknown = value ? JSON.parse(value) : {};
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : { value: parsed };
  } catch {
    return {};
  }
}

/** Canonical messages as Gemini contents; tool results find their function's name from the call id. */
export function convertToGeminiContents(messages: readonly ChatMessage[]): { systemInstruction?: { parts: Part[] }; contents: Content[] } {
  const system: Part[] = [];
  const contents: Content[] = [];
  const callNames = new Map<string, string>();
  const push = (role: Content['role'], parts: Part[]) => {
    if (parts.length === 0) return;
    const last = contents[contents.length - 1];
    if (last?.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };
  for (const message of messages) {
    if (message.role === 'system' || message.role === 'developer') system.push({ text: text(message.content) });
    else if (message.role === 'user') push('user', userParts(message.content));
    else if (message.role === 'assistant') {
      const parts: Part[] = [];
      if (message.content) parts.push({ text: text(message.content) });
      for (const call of message.tool_calls ?? []) {
        callNames.set(call.id, call.function.name);
        parts.push({ functionCall: { name: call.function.name, args: parseArguments(call.function.arguments) } });
      }
      push('model', parts);
    } else if (message.role === 'tool') {
      push('user', [{ functionResponse: { name: callNames.get(message.tool_call_id) ?? message.tool_call_id, response: { content: text(message.content) } } }]);
    } else if (message.role === 'function') {
      push('user', [{ functionResponse: { name: message.name, response: { content: message.content ?? '' } } }]);
    }
  }
  return { systemInstruction: system.length > 0 ? { parts: system } : undefined, contents };
}

const effortBudgets = { minimal: 512, low: 1024, medium: 8192, high: 24576 } as const;

/** The generateContent body: https://ai.google.dev/api/generate-content#request-body */
export function convertToGeminiRequest(request: ChatRequest): { body: Record<string, unknown>; warnings: string[] } {
  const warnings: string[] = [];
  const { systemInstruction, contents } = convertToGeminiContents(request.messages);
  const generationConfig: Record<string, unknown> = {};
  if (request.temperature != null) generationConfig.temperature = request.temperature;
  if (request.top_p != null) generationConfig.topP = request.top_p;
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maxTokens != null) generationConfig.maxOutputTokens = maxTokens;
  if (request.stop) generationConfig.stopSequences = Array.isArray(request.stop) ? request.stop : [request.stop];
  if (request.seed != null) generationConfig.seed = request.seed;
  if (request.n != null && request.n > 1) generationConfig.candidateCount = request.n;
  if (request.response_format?.type === 'json_object') generationConfig.responseMimeType = 'application/json';
  if (request.response_format?.type === 'json_schema') {
    generationConfig.responseMimeType = 'application/json';
    if (request.response_format.json_schema.schema) generationConfig.responseSchema = toGeminiSchema(request.response_format.json_schema.schema);
  }
  const budget = request.thinking?.type === 'enabled' ? request.thinking.budget_tokens : request.reasoning_effort && request.reasoning_effort !== 'none' ? effortBudgets[request.reasoning_effort] : undefined;
  if (budget !== undefined) generationConfig.thinkingConfig = { thinkingBudget: budget, includeThoughts: true };
  const body: Record<string, unknown> = { contents };
  if (systemInstruction) body.systemInstruction = systemInstruction;
  if (Object.keys(generationConfig).length > 0) body.generationConfig = generationConfig;
  if (request.tools?.length) {
    body.tools = [
      {
        functionDeclarations: request.tools.map((tool) => ({
          name: tool.function.name,
          description: tool.function.description,
          ...(tool.function.parameters ? { parameters: toGeminiSchema(tool.function.parameters) } : {}),
        })),
      },
    ];
  }
  const choice = request.tool_choice;
  if (choice) {
    const functionCallingConfig =
      choice === 'auto' ? { mode: 'AUTO' } : choice === 'none' ? { mode: 'NONE' } : choice === 'required' ? { mode: 'ANY' } : { mode: 'ANY', allowedFunctionNames: [choice.function.name] };
    body.toolConfig = { functionCallingConfig };
  }
  dropUnsupported(request, ['logit_bias', 'logprobs', 'presence_penalty', 'frequency_penalty'], 'gemini', warnings);
  return { body, warnings };
}
