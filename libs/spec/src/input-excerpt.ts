/** Longest piece of client input an error message quotes. */
export const inputExcerptLength = 100;

/**
 * A bounded excerpt of client input, for error messages that quote it (an unknown model name, a
 * response id, a field name): never more than `maxLength` characters of it, with the full length
 * said when it was cut, so a 1 MB model name costs the error a hundred characters.
 */
export function quoteInput(value: unknown, maxLength = inputExcerptLength): string {
  const text = typeof value === 'string' ? value : String(value);
  if (text.length <= maxLength) return text;
  return `${text.slice(0, maxLength)}... (${text.length} characters)`;
}
