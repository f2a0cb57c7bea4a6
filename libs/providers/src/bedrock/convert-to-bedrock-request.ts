import type { ChatRequest, TextContentPart, ThinkingBlock, UserContentPart } from '@switchboard/spec';

type Block = Record<string, unknown>;

/**
 * Converse marks the end of a cached prefix with a `cachePoint` block placed after the content, not
 * with a field on it (Anthropic's `cache_control`); `ttl` takes the same `5m` / `1h` values.
 * https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-caching.html
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_CachePointBlock.html
 */
function cachePoint(cacheControl: TextContentPart['cache_control']): Block[] {
  if (!cacheControl) return [];
  return [{ cachePoint: cacheControl.ttl ? { type: 'default', ttl: cacheControl.ttl } : { type: 'default' } }];
}

function textBlocks(part: TextContentPart): Block[] {
  return [{ text: part.text }, ...cachePoint(part.cache_control)];
}

function texts(content: string | TextContentPart[] | null | undefined): Block[] {
  if (!content) return [];
  return typeof content === 'string' ? [{ text: content }] : content.flatMap(textBlocks);
}

function userBlocks(content: string | UserContentPart[]): Block[] {
  if (typeof content === 'string') return [{ text: content }];
  return content.flatMap((part): Block[] => {
    if (part.type === 'text') return textBlocks(part);
    if (part.type === 'image_url') {
      const match = /^data:image\/([a-z]+);base64,(.*)$/s.exec(part.image_url.url);
      if (match) return [{ image: { format: match[1] === 'jpg' ? 'jpeg' : match[1], source: { bytes: match[2] } } }];
    }
    return [];
  });
}

/** A tool result holds no cache point of its own; a marked result is cached up to the result block. */
function toolResultBlocks(toolCallId: string, content: string | TextContentPart[]): Block[] {
  const parts: TextContentPart[] = typeof content === 'string' ? (content ? [{ type: 'text', text: content }] : []) : content;
  const result = { toolResult: { toolUseId: toolCallId, content: parts.map((part) => ({ text: part.text })), status: 'success' } };
  return [result, ...cachePoint(parts.find((part) => part.cache_control)?.cache_control)];
}

/**
 * Claude's earlier thinking replayed unmodified with its signature (or the encrypted redacted
 * content), as extended thinking with tool use requires.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ReasoningContentBlock.html
 */
function reasoningBlocks(blocks: readonly ThinkingBlock[] | undefined): Block[] {
  return (blocks ?? []).flatMap((block): Block[] => {
    if (block.type === 'redacted_thinking') return block.data ? [{ reasoningContent: { redactedContent: block.data } }] : [];
    const reasoningText = block.signature ? { text: block.thinking ?? '', signature: block.signature } : { text: block.thinking ?? '' };
    return [{ reasoningContent: { reasoningText } }];
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
    else if (message.role === 'tool') push('user', toolResultBlocks(message.tool_call_id, message.content));
    else if (message.role === 'assistant') {
      const blocks = [...reasoningBlocks(message.thinking_blocks), ...texts(message.content)];
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
      tools: request.tools.flatMap((tool) => [
        { toolSpec: { name: tool.function.name, description: tool.function.description, inputSchema: { json: tool.function.parameters ?? { type: 'object' } } } },
        ...cachePoint(tool.cache_control),
      ]),
      toolChoice,
    };
  }
  if (request.thinking?.type === 'enabled') body.additionalModelRequestFields = { thinking: { type: 'enabled', budget_tokens: request.thinking.budget_tokens } };
  for (const field of ['seed', 'response_format', 'logit_bias', 'presence_penalty', 'frequency_penalty']) {
    if (request[field] != null) warnings.push(`bedrock converse does not take ${field}; it was not sent`);
  }
  return { body, warnings };
}
