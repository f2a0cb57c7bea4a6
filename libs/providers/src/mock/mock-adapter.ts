import { buildUsage, estimateTokens } from '@switchboard/provider-utils';
import { SwitchboardError } from '@switchboard/spec';
import type {
  ChatMessage,
  ChatRequest,
  ChatResult,
  EmbeddingRequest,
  EmbeddingResult,
  FinishReason,
  ProviderAdapter,
  ProviderCallOptions,
  StreamPart,
  Usage,
} from '@switchboard/spec';
import { mockErrorFor } from './mock-errors';

export const defaultMockReply =
  'Hello from Switchboard! This answer comes from the built-in mock provider. Point a model at a real provider in config/switchboard.yaml to get real answers.';

interface MockAnswer {
  text: string;
  finishReason: FinishReason;
  usage: Usage;
}

/**
 * The built-in `mock` provider: deterministic answers with realistic streaming and usage,
 * so Switchboard answers with no API key at all. `mock_response` (LiteLLM's field) sets the
 * text; a LiteLLM exception name there (`litellm.RateLimitError`) raises that error instead.
 */
export class MockAdapter implements ProviderAdapter {
  readonly provider = 'mock';

  async chat(options: ProviderCallOptions<ChatRequest>): Promise<ChatResult> {
    const answer = this.answer(withDeploymentMock(options));
    return {
      id: `chatcmpl-${options.requestId}`,
      model: options.deployment.upstreamModel,
      created: Math.floor(Date.now() / 1000),
      choices: [{ index: 0, message: { role: 'assistant', content: answer.text }, finishReason: answer.finishReason }],
      usage: answer.usage,
    };
  }

  async chatStream(options: ProviderCallOptions<ChatRequest>): Promise<AsyncIterable<StreamPart>> {
    const answer = this.answer(withDeploymentMock(options));
    return streamAnswer(answer, options);
  }

  async embed(options: ProviderCallOptions<EmbeddingRequest>): Promise<EmbeddingResult> {
    const inputs = Array.isArray(options.request.input) ? options.request.input : [options.request.input];
    const dimensions = options.request.dimensions ?? 8;
    const embeddings = inputs.map((input) => mockVector(JSON.stringify(input), dimensions));
    const inputTokens = inputs.reduce<number>((sum, input) => sum + estimateTokens(JSON.stringify(input)), 0);
    return { model: options.deployment.upstreamModel, embeddings, usage: { inputTokens } };
  }

  private answer(request: ChatRequest): MockAnswer {
    const mockError = typeof request.mock_response === 'string' ? mockErrorFor(request.mock_response) : undefined;
    if (mockError) throw mockError;
    const fullText = typeof request.mock_response === 'string' ? request.mock_response : defaultMockReply;
    const limit = request.max_completion_tokens ?? request.max_tokens ?? undefined;
    const fullTokens = estimateTokens(fullText);
    const truncated = limit !== undefined && limit !== null && limit < fullTokens;
    const text = truncated ? fullText.slice(0, Math.max(0, limit) * 4) : fullText;
    const inputTokens = request.messages.reduce((sum, message) => sum + 4 + estimateTokens(messageText(message)), 3);
    return {
      text,
      finishReason: truncated ? { unified: 'length', raw: 'length' } : { unified: 'stop', raw: 'stop' },
      usage: buildUsage({ inputTotal: inputTokens, outputTotal: estimateTokens(text) }),
    };
  }
}

async function* streamAnswer(answer: MockAnswer, options: ProviderCallOptions<ChatRequest>): AsyncGenerator<StreamPart> {
  yield {
    type: 'response-metadata',
    id: `chatcmpl-${options.requestId}`,
    model: options.deployment.upstreamModel,
    created: Math.floor(Date.now() / 1000),
  };
  // Word-sized deltas, as real models stream; no delay between them.
  for (const piece of answer.text.match(/\S+\s*|\s+/g) ?? []) {
    if (options.signal.aborted) throw new SwitchboardError('cancelled', 'The request was cancelled');
    yield { type: 'text-delta', index: 0, delta: piece };
  }
  yield { type: 'finish', index: 0, finishReason: answer.finishReason };
  yield { type: 'usage', usage: answer.usage };
}

/** `mock_response` in the deployment's `litellm_params` (LiteLLM allows both places); the request's wins. */
function withDeploymentMock(options: ProviderCallOptions<ChatRequest>): ChatRequest {
  const configured = options.deployment.params.mock_response;
  if (options.request.mock_response !== undefined || typeof configured !== 'string') return options.request;
  return { ...options.request, mock_response: configured };
}

function messageText(message: ChatMessage): string {
  const content = message.content;
  if (typeof content === 'string') return content;
  if (!content) return '';
  return content.map((part) => ('text' in part && typeof part.text === 'string' ? part.text : '')).join(' ');
}

function mockVector(seed: string, dimensions: number): number[] {
  let state = 2166136261;
  for (let index = 0; index < seed.length; index += 1) state = Math.imul(state ^ seed.charCodeAt(index), 16777619);
  const vector: number[] = [];
  for (let index = 0; index < dimensions; index += 1) {
    state = Math.imul(state ^ (state >>> 15), 2246822507) >>> 0;
    vector.push(Number(((state / 0xffffffff) * 2 - 1).toFixed(6)));
  }
  return vector;
}
