export { createProviderRegistry, knownProviders } from './provider-registry';
export { MockAdapter, defaultMockReply } from './mock/mock-adapter';
export * from './openai-compatible';
export { encodeEvent as encodeBedrockEvent } from './bedrock/bedrock-event-stream';
