import { dropUnsupported, textOf, textTranscript, toTextTurns } from '@switchboard/provider-utils';
import type { ChatMessage, ChatRequest, ResolvedDeployment } from '@switchboard/spec';

/** Fields a Replicate language model's input has no standard counterpart for. */
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
  'user',
] as const;

export interface ReplicateInput {
  input: Record<string, unknown>;
  /** Everything sent as text, for estimating input tokens when the model reports none. */
  promptText: string;
  warnings: string[];
}

/**
 * The `input` of a prediction for a Replicate language model (e.g. meta/meta-llama-3-70b-instruct,
 * whose schema takes `prompt`, `system_prompt`, `max_tokens`, `temperature`, `top_p`,
 * `stop_sequences` and `seed`). The model applies its own chat template, so:
 * - system and developer messages are joined into `system_prompt`;
 * - a conversation of one user message is sent as that message's text;
 * - a longer one is a transcript of `User:` / `Assistant:` turns separated by blank lines, ending
 *   with `Assistant:` (tool results are `User:` turns starting with `Tool result:`);
 * - `stop_sequences` is one comma-separated string, as these models take it.
 * The length limit goes in `max_tokens` unless `replicate_max_tokens_param` names another input
 * (older models such as Llama 2 take `max_new_tokens`). `replicate_input` in the deployment adds
 * model-specific inputs (e.g. `prompt_template`, `top_k`); the request's values win.
 */
export function convertToReplicateInput(request: ChatRequest, deployment: ResolvedDeployment): ReplicateInput {
  const warnings: string[] = [];
  const system = request.messages.filter((message) => message.role === 'system' || message.role === 'developer').map((message) => textOf(message.content));
  const prompt = promptOf(request.messages.filter((message) => message.role !== 'system' && message.role !== 'developer'), warnings);
  const extra = deployment.params.replicate_input;
  const input: Record<string, unknown> = { ...(extra && typeof extra === 'object' ? (extra as Record<string, unknown>) : {}), prompt };
  if (system.length) input.system_prompt = system.join('\n\n');
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  const maxTokensParam = typeof deployment.params.replicate_max_tokens_param === 'string' ? deployment.params.replicate_max_tokens_param : 'max_tokens';
  if (maxTokens != null) input[maxTokensParam] = maxTokens;
  if (request.temperature != null) input.temperature = request.temperature;
  if (request.top_p != null) input.top_p = request.top_p;
  if (request.seed != null) input.seed = request.seed;
  if (request.stop != null) input.stop_sequences = typeof request.stop === 'string' ? request.stop : request.stop.join(',');
  dropUnsupported(request, unsupportedFields, 'replicate', warnings);
  return { input, promptText: [input.system_prompt ?? '', prompt].join('\n'), warnings };
}

function promptOf(messages: readonly ChatMessage[], warnings: string[]): string {
  const { turns, droppedParts, droppedToolCalls } = toTextTurns(messages, { keepEmptyAssistant: true });
  if (droppedParts) warnings.push(`replicate prompts are text; ${droppedParts} non-text content part(s) were not sent`);
  if (droppedToolCalls) warnings.push(`replicate prompts are text; ${droppedToolCalls} earlier tool call(s) were not sent`);
  const [only] = messages;
  if (messages.length === 1 && only.role === 'user') return textOf(only.content);
  return textTranscript(turns);
}
