/**
 * A rough token estimate (about four characters a token, as OpenAI's guidance says for English),
 * for the mock provider and for budgeting before a call. Never used to bill a real upstream call:
 * those are billed from the provider's own usage numbers.
 */
export function estimateTokens(text: string): number {
  if (text.length === 0) return 0;
  return Math.max(1, Math.ceil(text.length / 4));
}
