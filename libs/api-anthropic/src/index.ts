export { parseMessagesRequest, convertMessagesRequest } from './convert-messages-request';
export { messagesRequestSchema, countTokensRequestSchema } from './messages-request.schema';
export type { CountTokensRequest, MessagesRequest } from './messages-request.schema';
export { encodeMessage } from './message-encoder';
export { MessageStreamEncoder, toAnthropicSse } from './message-stream-encoder';
export type { AnthropicStreamEvent } from './message-stream-encoder';
export { anthropicErrorBody, anthropicErrorType, anthropicStopReason, anthropicUsage } from './anthropic-wire';
export { estimateInputTokens } from './count-tokens';
