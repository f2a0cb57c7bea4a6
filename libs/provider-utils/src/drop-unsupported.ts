/**
 * Warns about each of `fields` the request sets (`<provider> does not support <field>; it was not
 * sent`) and returns a copy of the request without them. A converter that forwards the request
 * sends the copy; one that builds its body from the fields it knows needs only the warnings.
 * Null counts as not set.
 */
export function dropUnsupported<T extends object>(request: T, fields: readonly string[], provider: string, warnings: string[]): T {
  const kept = { ...request } as Record<string, unknown>;
  for (const field of fields) {
    if (kept[field] === undefined || kept[field] === null) continue;
    delete kept[field];
    warnings.push(`${provider} does not support ${field}; it was not sent`);
  }
  return kept as T;
}
