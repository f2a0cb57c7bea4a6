import { postUpstream, readText, parseUpstreamJson } from '@switchboard/provider-utils';
import type { ChatRequest, ChatResult, ProviderAdapter, ProviderCallOptions, StreamPart } from '@switchboard/spec';
import { petalsEndpoint } from './petals-api';
import type { PetalsGenerateResponse } from './petals-api-schemas';
import { petalsHttpError } from './petals-error';
import { convertPetalsResponse } from './convert-petals-response';
import { convertToPetalsRequest } from './convert-to-petals-request';

/**
 * Petals through a chat.petals.dev backend's HTTP API (POST /api/v1/generate). That API does not
 * stream (token streaming is only on its WebSocket API), so a stream is the single call's whole
 * answer as one text delta, between the usual metadata and finish parts.
 */
export class PetalsAdapter implements ProviderAdapter {
  readonly provider = 'petals';

  async chat(options: ProviderCallOptions<ChatRequest>): Promise<ChatResult> {
    const { deployment, signal } = options;
    const { form, stops, promptText, warnings } = convertToPetalsRequest(options.request, deployment);
    const endpoint = petalsEndpoint(deployment.apiBase, deployment.apiKey);
    const response = await postUpstream({
      url: endpoint.url,
      headers: endpoint.headers,
      body: form.toString(),
      deployment,
      signal,
      stream: false,
      toError: (status, text) => petalsHttpError(status, text),
    });
    const body = parseUpstreamJson<PetalsGenerateResponse>(await readText(response, signal), 'petals');
    const result = convertPetalsResponse(body, stops, `chatcmpl-${options.requestId}`, deployment.upstreamModel, promptText);
    return warnings.length ? { ...result, warnings } : result;
  }

  /** The whole answer is fetched first, so a failure rejects before any part, as for a real stream. */
  async chatStream(options: ProviderCallOptions<ChatRequest>): Promise<AsyncIterable<StreamPart>> {
    return answerAsParts(await this.chat(options));
  }
}

async function* answerAsParts(result: ChatResult): AsyncGenerator<StreamPart> {
  const [choice] = result.choices;
  yield { type: 'response-metadata', id: result.id, model: result.model, created: result.created };
  for (const message of result.warnings ?? []) yield { type: 'warning', message };
  if (choice.message.content) yield { type: 'text-delta', index: 0, delta: choice.message.content };
  yield { type: 'finish', index: 0, finishReason: choice.finishReason };
  yield { type: 'usage', usage: result.usage };
}
