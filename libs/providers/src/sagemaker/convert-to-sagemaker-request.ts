import { dropUnsupported, textTranscript, toTextTurns } from '@switchboard/provider-utils';
import type { ChatRequest, ResolvedDeployment } from '@switchboard/spec';

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
  const { turns, droppedParts, droppedToolCalls } = toTextTurns(request.messages);
  if (droppedParts) warnings.push(`sagemaker prompts are text; ${droppedParts} non-text content part(s) were not sent`);
  if (droppedToolCalls) warnings.push(`sagemaker prompts are text; ${droppedToolCalls} earlier tool call(s) were not sent`);
  const promptText = textTranscript(turns);
  const extra = deployment.params.sagemaker_parameters;
  const parameters: Record<string, unknown> = extra && typeof extra === 'object' && !Array.isArray(extra) ? { ...(extra as Record<string, unknown>) } : {};
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maxTokens != null) parameters.max_new_tokens = maxTokens;
  if (request.temperature != null && (request.temperature > 0 || deployment.params.aws_sagemaker_allow_zero_temp === true)) parameters.temperature = request.temperature;
  if (request.top_p != null && request.top_p < 1) parameters.top_p = request.top_p;
  if (request.stop != null) parameters.stop = typeof request.stop === 'string' ? [request.stop] : request.stop;
  if (request.seed != null) parameters.seed = request.seed;
  // `n: 1` asks for what TGI does anyway.
  dropUnsupported(request, request.n === 1 ? unsupportedFields.filter((field) => field !== 'n') : unsupportedFields, 'sagemaker', warnings);
  const body: Record<string, unknown> = { inputs: promptText, parameters };
  if (stream) body.stream = true;
  return { body, promptText, warnings };
}
