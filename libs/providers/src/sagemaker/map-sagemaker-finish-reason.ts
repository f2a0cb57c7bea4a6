import type { FinishReason } from '@switchboard/spec';

/**
 * TGI's finish reasons (`details.finish_reason`): `length`, `eos_token`, `stop_sequence`.
 * Without `details` the container reports none, and the answer is taken to have stopped.
 * https://huggingface.github.io/text-generation-inference/#/Text%20Generation%20Inference/generate
 */
export function mapSagemakerFinishReason(raw: string | null | undefined): FinishReason {
  switch (raw) {
    case 'eos_token':
    case 'stop_sequence':
    case 'stop':
      return { unified: 'stop', raw };
    case 'length':
      return { unified: 'length', raw };
    case null:
    case undefined:
    case '':
      return { unified: 'stop', raw: null };
    default:
      return { unified: 'other', raw };
  }
}
