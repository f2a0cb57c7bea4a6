import { headerValue, postUpstream, readSseEvents, readText, streamParts, parseUpstreamJson } from '@switchboard/provider-utils';
import type { ChatRequest, ChatResult, ProviderAdapter, ProviderCallOptions, StreamPart, ToolCall } from '@switchboard/spec';
import { anthropicEndpoint } from './anthropic-api';
import type { AnthropicMessage } from './anthropic-api-schemas';
import { anthropicError } from './anthropic-error';
import { AnthropicStreamTransformer } from './anthropic-stream-transformer';
import { convertAnthropicUsage } from './convert-anthropic-usage';
import { convertToAnthropicRequest, jsonToolName } from './convert-to-anthropic-request';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason';

/** Anthropic's Messages API: https://docs.claude.com/en/api/messages (no embeddings: Anthropic has none). */
export class AnthropicAdapter implements ProviderAdapter {
  readonly provider = 'anthropic';

  async chat(options: ProviderCallOptions<ChatRequest>): Promise<ChatResult> {
    const { response, jsonMode, warnings } = await this.post(options, false);
    const text = await readText(response, options.signal);
    const message = parseUpstreamJson<AnthropicMessage>(text, 'anthropic');
    let content = '';
    let reasoning = '';
    const toolCalls: ToolCall[] = [];
    for (const block of message.content ?? []) {
      if (block.type === 'text') content += block.text;
      else if (block.type === 'thinking') reasoning += block.thinking;
      else if (block.type === 'tool_use') {
        if (jsonMode && block.name === jsonToolName) content += JSON.stringify(block.input);
        else toolCalls.push({ id: block.id, type: 'function', function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) } });
      }
    }
    const finishReason = jsonMode && message.stop_reason === 'tool_use' ? { unified: 'stop' as const, raw: 'tool_use' } : mapAnthropicFinishReason(message.stop_reason);
    return {
      id: message.id,
      model: message.model,
      created: Math.floor(Date.now() / 1000),
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: content || (toolCalls.length ? null : ''), reasoningContent: reasoning || undefined, toolCalls: toolCalls.length ? toolCalls : undefined },
          finishReason,
        },
      ],
      usage: convertAnthropicUsage(message.usage),
      warnings: warnings.length ? warnings : undefined,
    };
  }

  async chatStream(options: ProviderCallOptions<ChatRequest>): Promise<AsyncIterable<StreamPart>> {
    const { response, jsonMode, warnings } = await this.post(options, true);
    const transformer = new AnthropicStreamTransformer(jsonMode);
    return streamParts(response, readSseEvents(response.body), (event) => transformer.transform(event), options.signal, { warnings, isDone: () => transformer.isDone });
  }

  private async post(options: ProviderCallOptions<ChatRequest>, stream: boolean) {
    const requestBeta = typeof options.request.anthropic_beta === 'string' ? options.request.anthropic_beta : undefined;
    const endpoint = anthropicEndpoint(options.deployment, requestBeta);
    const { body, jsonMode, warnings } = convertToAnthropicRequest(options.request, options.deployment.upstreamModel, stream);
    const response = await postUpstream({
      url: endpoint.url,
      headers: stream ? { ...endpoint.headers, accept: 'text/event-stream' } : endpoint.headers,
      body,
      deployment: options.deployment,
      signal: options.signal,
      stream,
      toError: (status, text, headers) => anthropicError(status, text, headerValue(headers, 'retry-after')),
    });
    return { response, jsonMode, warnings };
  }
}
