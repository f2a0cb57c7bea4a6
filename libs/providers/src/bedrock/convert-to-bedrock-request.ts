import type { ChatRequest, TextContentPart, UserContentPart } from '@switchboard/spec';

type Block = Record<string, unknown>;

function texts(content: string | TextContentPart[] | null | undefined): Block[] {
  if (!content) return [];
  return typeof content === 'string' ? [{ text: content }] : content.map((part) => ({ text: part.text }));
}

function userBlocks(content: string | UserContentPart[]): Block[] {
  if (typeof content === 'string') return [{ text: content }];
  return content.flatMap((part): Block[] => {
    if (part.type === 'text') return [{ text: part.text }];
    if (part.type === 'image_url') {
      const match = /^data:image\/([a-z]+);base64,(.*)$/s.exec(part.image_url.url);
      if (match) return [{ image: { format: match[1] === 'jpg' ? 'jpeg' : match[1], source: { bytes: match[2] } } }];
    }
    return [];
  });
}

function parseArguments(value: string): unknown {
  try {
    return value ? JSON.parse(value) : {};
  } catch {
    return {};
  }
}

/** The Converse request body: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html */
export function convertToBedrockRequest(request: ChatRequest): { body: Record<string, unknown>; warnings: string[] } {
  const warnings: string[] = [];
  const system: Block[] = [];
  const messages: Array<{ role: 'user' | 'assistant'; content: Block[] }> = [];
  const push = (role: 'user' | 'assistant', blocks: Block[]) => {
    if (blocks.length === 0) return;
    const last = messages[messages.length - 1];
    if (last?.role === role) last.content.push(...blocks);
    else messages.push({ role, content: blocks });
  };
  for (const message of request.messages) {
    if (message.role === 'system' || message.role === 'developer') system.push(...texts(message.content));
    else if (message.role === 'user') push('user', userBlocks(message.content));
    else if (message.role === 'tool') {
      push('user', [{ toolResult: { toolUseId: message.tool_call_id, content: texts(message.content), status: 'success' } }]);
    } else if (message.role === 'assistant') {
      const blocks = texts(message.content);
      for (const call of message.tool_calls ?? []) blocks.push({ toolUse: { toolUseId: call.id, name: call.function.name, input: parseArguments(call.function.arguments) } });
      push('assistant', blocks);
    } else if (message.role === 'function') push('user', [{ text: message.content ?? '' }]);
  }
  const inferenceConfig: Record<string, unknown> = {};
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maxTokens != null) inferenceConfig.maxTokens = maxTokens;
  if (request.temperature != null) inferenceConfig.temperature = request.temperature;
  if (request.top_p != null) inferenceConfig.topP = request.top_p;
  if (request.stop) inferenceConfig.stopSequences = Array.isArray(request.stop) ? request.stop : [request.stop];
  const body: Record<string, unknown> = { messages };
  if (system.length > 0) body.system = system;
  if (Object.keys(inferenceConfig).length > 0) body.inferenceConfig = inferenceConfig;
  if (request.tools?.length && request.tool_choice !== 'none') {
    const toolChoice = request.tool_choice === 'required' ? { any: {} } : typeof request.tool_choice === 'object' ? { tool: { name: request.tool_choice.function.name } } : { auto: {} };
    body.toolConfig = {
      tools: request.tools.map((tool) => ({ toolSpec: { name: tool.function.name, description: tool.function.description, inputSchema: { json: tool.function.parameters ?? { type: 'object' } } } })),
      toolChoice,
    };
  }
  if (request.thinking?.type === 'enabled') body.additionalModelRequestFields = { thinking: { type: 'enabled', budget_tokens: request.thinking.budget_tokens } };
  for (const field of ['seed', 'response_format', 'logit_bias', 'presence_penalty', 'frequency_penalty']) {
    if (request[field] != null) warnings.push(`bedrock converse does not take ${field}; it was not sent`);
  }
  return { body, warnings };
}
