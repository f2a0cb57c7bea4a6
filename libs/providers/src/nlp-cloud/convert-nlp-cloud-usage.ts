import { buildUsage, estimateTokens } from '@switchboard/provider-utils';
import type { Usage } from '@switchboard/spec';
import type { NlpCloudGenerationResponse } from './nlp-cloud-api-schemas';

/**
 * The chatbot endpoint and streams report no token counts: usage is estimated from the text sent
 * and received (about four characters a token) and flagged `estimated` in `raw`.
 */
export function estimatedNlpCloudUsage(promptText: string, outputText: string): Usage {
  return buildUsage({ inputTotal: estimateTokens(promptText), outputTotal: estimateTokens(outputText), raw: { estimated: true } });
}

/** The generation endpoint counts tokens itself (`nb_input_tokens`, `nb_generated_tokens`). */
export function convertNlpCloudGenerationUsage(body: NlpCloudGenerationResponse, promptText: string): Usage {
  if (typeof body.nb_input_tokens !== 'number' && typeof body.nb_generated_tokens !== 'number') {
    return estimatedNlpCloudUsage(promptText, body.generated_text ?? '');
  }
  return buildUsage({
    inputTotal: body.nb_input_tokens ?? 0,
    outputTotal: body.nb_generated_tokens ?? 0,
    raw: { nb_input_tokens: body.nb_input_tokens, nb_generated_tokens: body.nb_generated_tokens },
  });
}
