/**
 * A byte stream decoded to text as it arrives, for providers that stream raw text rather than
 * events; a multi-byte character split across chunks stays whole, and empty pieces are skipped.
 */
export async function* readTextChunks(body: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  for await (const chunk of body) {
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}
