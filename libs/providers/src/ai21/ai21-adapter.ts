import { withWarnings } from '@switchboard/provider-utils';
import type { ChatRequest, ChatResult, ProviderAdapter, ProviderCallOptions, StreamPart } from '@switchboard/spec';
import { OpenAiCompatibleAdapter } from '../openai-compatible/openai-compatible-adapter';
import { ai21Preset } from './ai21-api';
import { convertToAi21Request } from './convert-to-ai21-request';

/**
 * AI21 Jamba: the shared OpenAI-compatible adapter (URL, Bearer key, responses, SSE stream,
 * finish reasons, usage, errors) fed with a request reduced to what Jamba accepts.
 */
export class Ai21Adapter implements ProviderAdapter {
  readonly provider = 'ai21';
  private readonly openAiCompatible = new OpenAiCompatibleAdapter(ai21Preset);

  async chat(options: ProviderCallOptions<ChatRequest>): Promise<ChatResult> {
    const { request, warnings } = convertToAi21Request(options.request);
    const result = await this.openAiCompatible.chat({ ...options, request });
    return warnings.length ? { ...result, warnings: [...(result.warnings ?? []), ...warnings] } : result;
  }

  async chatStream(options: ProviderCallOptions<ChatRequest>): Promise<AsyncIterable<StreamPart>> {
    const { request, warnings } = convertToAi21Request(options.request);
    return withWarnings(await this.openAiCompatible.chatStream({ ...options, request }), warnings);
  }
}
