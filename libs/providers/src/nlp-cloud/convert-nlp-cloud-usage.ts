import { buildUsage, estimatedUsage } from '@switchboard/provider-utils';
import type { Usage } from '@switchboard/spec';
import type { NlpCloudGenerationResponse } from './nlp-cloud-api-schemas';

/**
 * The generation endpoint counts tokens itself (`nb_input_tokens`, `nb_generated_tokens`); without
 * them (and always on the chatbot endpoint and in streams) usage is estimated from the text.
 */
export function convertNlpCloudGenerationUsage(body: NlpCloudGenerationResponse, promptText: string): Usage {
  if (typeof body.nb_input_tokens !== 'number' && typeof body.nb_generated_tokens !== 'number') {
    return estimatedUsage(promptText, body.generated_text ?? '');
  }
  return buildUsage({
    inputTotal: body.nb_input_tokens ?? 0,
    outputTotal: body.nb_generated_tokens ?? 0,
    raw: { nb_input_tokens: body.nb_input_tokens, nb_generated_tokens: body.nb_generated_tokens },
  });
}
