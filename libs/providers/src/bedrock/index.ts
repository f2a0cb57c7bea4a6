export { BedrockAdapter } from './bedrock-adapter';
export { encodeEvent, readEventStream } from './bedrock-event-stream';
export { BedrockStreamTransformer, convertBedrockUsage } from './bedrock-stream-transformer';
export { convertToBedrockRequest } from './convert-to-bedrock-request';
