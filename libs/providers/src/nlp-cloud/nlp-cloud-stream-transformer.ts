import { estimatedUsage } from '@switchboard/provider-utils';
import type { StreamPart } from '@switchboard/spec';

const endMarker = '[DONE]';

/**
 * With `stream: true` NLP Cloud answers with the generated text as raw chunks, not SSE. Tokens may
 * be separated by NUL bytes (LiteLLM's NLP Cloud handler splits on them) and the text may end
 * with a `[DONE]` marker; both are removed. The end of the body is the end of the answer, and
 * usage is estimated from the text since the stream carries no counts.
 */
export class NlpCloudStreamTransformer {
  private metadataSent = false;
  private held = '';
  private output = '';
  private ended = false;

  constructor(
    private readonly id: string,
    private readonly model: string,
    private readonly promptText: string,
    private readonly warnings: readonly string[],
  ) {}

  transform(chunk: string): StreamPart[] {
    if (this.ended) return [];
    let text = this.held + chunk.replaceAll('\u0000', '');
    const marker = text.indexOf(endMarker);
    if (marker >= 0) {
      this.ended = true;
      text = text.slice(0, marker);
      this.held = '';
    } else {
      // Hold back an ending that may be the start of the marker split across chunks.
      const keep = heldSuffix(text);
      this.held = text.slice(text.length - keep);
      text = text.slice(0, text.length - keep);
    }
    return this.delta(text);
  }

  finish(): StreamPart[] {
    const rest = this.delta(this.held);
    this.held = '';
    return [
      ...this.metadata(),
      ...rest,
      { type: 'finish', index: 0, finishReason: { unified: 'stop', raw: null } },
      { type: 'usage', usage: estimatedUsage(this.promptText, this.output) },
    ];
  }

  private delta(text: string): StreamPart[] {
    if (!text) return [];
    this.output += text;
    return [...this.metadata(), { type: 'text-delta', index: 0, delta: text }];
  }

  private metadata(): StreamPart[] {
    if (this.metadataSent) return [];
    this.metadataSent = true;
    return [
      { type: 'response-metadata', id: this.id, model: this.model, created: Math.floor(Date.now() / 1000) },
      ...this.warnings.map((message): StreamPart => ({ type: 'warning', message })),
    ];
  }
}

/** The length of the longest ending of `text` that begins the end marker. */
function heldSuffix(text: string): number {
  for (let length = Math.min(endMarker.length - 1, text.length); length > 0; length--) {
    if (endMarker.startsWith(text.slice(text.length - length))) return length;
  }
  return 0;
}
