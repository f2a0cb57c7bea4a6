export { GeminiAdapter } from './gemini-adapter';
export { GeminiStreamTransformer } from './gemini-stream-transformer';
export { convertToGeminiContents, convertToGeminiRequest, toGeminiSchema } from './convert-to-gemini-request';
export { convertGeminiUsage } from './convert-gemini-usage';
export { mapGeminiFinishReason } from './map-gemini-finish-reason';
