import { upstreamError } from '@switchboard/provider-utils';
import type { SseEvent } from '@switchboard/provider-utils';
import type { StreamPart } from '@switchboard/spec';
import { OpenAiCompatibleStreamTransformer } from '../openai-compatible/openai-compatible-stream-transformer';
import { readEnvelopeError } from './cloudflare-error';

/**
 * OpenAI chunks, read by the shared transformer; an error that Workers AI writes into the stream in
 * its v4 envelope (`{"errors": [...]}`) is recognised first and thrown as a typed error.
 */
export class CloudflareStreamTransformer {
  private readonly inner = new OpenAiCompatibleStreamTransformer('cloudflare');

  get isDone(): boolean {
    return this.inner.isDone;
  }

  transform(event: SseEvent): StreamPart[] {
    const envelopeError = event.data.includes('"errors"') ? readEnvelopeError(event.data) : undefined;
    if (envelopeError) throw upstreamError({ provider: 'cloudflare', status: 500, ...envelopeError });
    return this.inner.transform(event);
  }
}
