import { encodeEmbeddingResponse } from '@switchboard/api-openai';
import { embeddingUsage } from '@switchboard/provider-utils';
import { SwitchboardError } from '@switchboard/spec';
import type { EmbeddingRequest, EmbeddingResult } from '@switchboard/spec';
import type { AnswerEncoder, EncodedAnswer, StreamEvent } from '../lifecycle/answer-encoder';

/** Embeddings: one `list` body (float or base64, as the request asked); never streamed. */
export class EmbeddingsEncoder implements AnswerEncoder {
  readonly usage = undefined;

  constructor(private readonly encodingFormat: EmbeddingRequest['encoding_format']) {}

  complete(result: EmbeddingResult): EncodedAnswer {
    // Budgets settle with what the embedding really used.
    return { body: encodeEmbeddingResponse(result, this.encodingFormat), usage: embeddingUsage(result) };
  }

  open(): StreamEvent[] {
    return notStreamed();
  }

  parts(): StreamEvent[] {
    return notStreamed();
  }

  finish(): StreamEvent[] {
    return notStreamed();
  }

  fail(): StreamEvent[] {
    return [];
  }

  inBandError(): undefined {
    return undefined;
  }
}

function notStreamed(): never {
  throw new SwitchboardError('internal', 'Embeddings are never streamed');
}
