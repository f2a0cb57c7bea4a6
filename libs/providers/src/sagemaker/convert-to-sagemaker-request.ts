import type { ChatMessage, ChatRequest, ResolvedDeployment } from '@switchboard/spec';

/** Fields TGI's generate parameters have no counterpart for. */
const unsupportedFields = [
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'response_format',
  'n',
  'presence_penalty',
  'frequency_penalty',
  'logit_bias',
  'logprobs',
  'top_logprobs',
  'reasoning_effort',
  'thinking',
] as const;

export interface SagemakerRequest {
  /** `{inputs, parameters, stream?}`. */
  body: Record<string, unknown>;
  /** The prompt sent, for estimating input tokens and removing an echoed prompt. */
  promptText: string;
  warnings: string[];
}

/**
 * The body of a Hugging Face (TGI) endpoint's `/invocations`: `inputs` and `parameters`, as the
 * container's `/generate` takes them, and `stream: true` for a stream (TGI answers SSE then).
 * https://huggingface.github.io/text-generation-inference/#/Text%20Generation%20Inference/compat_generate
 * - `inputs` is the conversation as a transcript: `System:` text, then `User:` / `Assistant:`
 *   turns separated by blank lines, ending with `Assistant:` (generate applies no chat template;
 *   use `sagemaker_chat` for endpoints with the Messages API).
 * - `max_tokens` / `max_completion_tokens` become `max_new_tokens`; `stop`, `seed`, `top_p` pass.
 * - TGI rejects `temperature: 0` and `top_p: 1`; they mean greedy / no nucleus sampling, so they
 *   are left out (`aws_sagemaker_allow_zero_temp: true` sends 0, as in LiteLLM).
 * - `sagemaker_parameters` in the deployment adds container parameters (e.g. `{details: true}`
 *   for token counts, `top_k`, `repetition_penalty`); the request's values win.
 */
export function convertToSagemakerRequest(request: ChatRequest, deployment: ResolvedDeployment, stream: boolean): SagemakerRequest {
  const warnings: string[] = [];
  const promptText = transcript(request.messages, warnings);
  const extra = deployment.params.sagemaker_parameters;
  const parameters: Record<string, unknown> = extra && typeof extra === 'object' && !Array.isArray(extra) ? { ...(extra as Record<string, unknown>) } : {};
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maxTokens != null) parameters.max_new_tokens = maxTokens;
  if (request.temperature != null && (request.temperature > 0 || deployment.params.aws_sagemaker_allow_zero_temp === true)) parameters.temperature = request.temperature;
  if (request.top_p != null && request.top_p < 1) parameters.top_p = request.top_p;
  if (request.stop != null) parameters.stop = typeof request.stop === 'string' ? [request.stop] : request.stop;
  if (request.seed != null) parameters.seed = request.seed;
  for (const field of unsupportedFields) {
    if (request[field] != null && !(field === 'n' && request.n === 1)) warnings.push(`sagemaker does not support ${field}; it was not sent`);
  }
  const body: Record<string, unknown> = { inputs: promptText, parameters };
  if (stream) body.stream = true;
  return { body, promptText, warnings };
}

/** The text of every message, for estimating input tokens when an endpoint reports none. */
export function promptTextOf(messages: readonly ChatMessage[]): string {
  return messages.map((message) => textOf(message.content)).join('\n');
}

function transcript(messages: readonly ChatMessage[], warnings: string[]): string {
  const turns: string[] = [];
  let droppedParts = 0;
  let droppedToolCalls = 0;
  for (const message of messages) {
    if (Array.isArray(message.content)) droppedParts += message.content.filter((part) => part.type !== 'text').length;
    const content = textOf(message.content);
    switch (message.role) {
      case 'system':
      case 'developer':
        turns.push(`System: ${content}`);
        break;
      case 'assistant':
        droppedToolCalls += message.tool_calls?.length ?? 0;
        if (content) turns.push(`Assistant: ${content}`);
        break;
      case 'tool':
      case 'function':
        turns.push(`User: Tool result: ${content}`);
        break;
      default:
        turns.push(`User: ${content}`);
    }
  }
  if (droppedParts) warnings.push(`sagemaker prompts are text; ${droppedParts} non-text content part(s) were not sent`);
  if (droppedToolCalls) warnings.push(`sagemaker prompts are text; ${droppedToolCalls} earlier tool call(s) were not sent`);
  return [...turns, 'Assistant:'].join('\n\n');
}

function textOf(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  if (!content) return '';
  return content.map((part) => ('text' in part && typeof part.text === 'string' ? part.text : '')).join('');
}
