import type { OpenAiCompletion } from '../openai-compatible/openai-compatible-api-schemas';

/**
 * Cloudflare's API v4 envelope, which Workers AI uses for its errors even on the OpenAI-compatible
 * endpoints: https://developers.cloudflare.com/fundamentals/api/how-to/make-api-calls/
 */
export interface CloudflareEnvelope {
  success?: boolean;
  errors?: Array<{ code?: number | string; message?: string }>;
  messages?: unknown[];
  result?: unknown;
}

export type CloudflareCompletion = OpenAiCompletion & CloudflareEnvelope;
