export { AnthropicAdapter } from './anthropic-adapter';
export { AnthropicStreamTransformer } from './anthropic-stream-transformer';
export { convertToAnthropicMessages, convertToAnthropicRequest, jsonToolName } from './convert-to-anthropic-request';
export { convertAnthropicUsage } from './convert-anthropic-usage';
export { mapAnthropicFinishReason } from './map-anthropic-finish-reason';
export { anthropicError, anthropicStreamError } from './anthropic-error';
