import { sendJson, sendSse, startFakeServer } from './fake-server';
import type { FakeServer } from './fake-server';

/**
 * A fake Gemini API (https://ai.google.dev/api/generate-content) for tests. The model in the path
 * picks the behaviour: `gemini-ok` text, `gemini-tools` a function call, `gemini-thinking` a thought
 * then text, `gemini-blocked` a blocked prompt, `gemini-limited` HTTP 429.
 */
export const geminiUsage = { promptTokenCount: 14, candidatesTokenCount: 6, totalTokenCount: 24, cachedContentTokenCount: 4, thoughtsTokenCount: 4 };

function chunks(model: string): Array<Record<string, unknown>> {
  const base = { modelVersion: `${model}-001`, responseId: 'gemini-resp-1' };
  if (model === 'gemini-tools') {
    return [{ ...base, candidates: [{ content: { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] }, finishReason: 'STOP', index: 0 }], usageMetadata: geminiUsage }];
  }
  const first = model === 'gemini-thinking' ? [{ text: 'Considering.', thought: true }] : [];
  return [
    { ...base, candidates: [{ content: { role: 'model', parts: [...first, { text: 'Hello' }] }, index: 0 }], usageMetadata: { promptTokenCount: 14 } },
    { ...base, candidates: [{ content: { role: 'model', parts: [{ text: ' from Gemini.' }] }, finishReason: 'STOP', index: 0 }], usageMetadata: geminiUsage },
  ];
}

export async function startFakeGeminiUpstream(): Promise<FakeServer> {
  return startFakeServer((request, response) => {
    const match = /^\/v1beta\/models\/([^:]+):(generateContent|streamGenerateContent|batchEmbedContents)(\?alt=sse)?$/.exec(request.url);
    if (!match) return sendJson(response, 404, { error: { code: 404, message: 'not found', status: 'NOT_FOUND' } });
    const [, model, method] = match;
    if (model === 'gemini-limited') return sendJson(response, 429, { error: { code: 429, message: 'Resource has been exhausted', status: 'RESOURCE_EXHAUSTED' } }, { 'retry-after': '3' });
    if (model === 'gemini-blocked') return sendJson(response, 200, { promptFeedback: { blockReason: 'SAFETY' } });
    if (method === 'batchEmbedContents') {
      const requests = (request.json as { requests: unknown[] }).requests;
      return sendJson(response, 200, { embeddings: requests.map((_, index) => ({ values: [index, 0.25] })) });
    }
    const list = chunks(model);
    if (method === 'streamGenerateContent') return sendSse(response, list.map((chunk) => `data: ${JSON.stringify(chunk)}\r\n\r\n`));
    const parts = list.flatMap((chunk) => ((chunk.candidates as Array<{ content: { parts: unknown[] } }>)[0].content.parts));
    const last = list[list.length - 1] as { candidates: Array<{ finishReason: string }> };
    sendJson(response, 200, { ...list[0], candidates: [{ content: { role: 'model', parts }, finishReason: last.candidates[0].finishReason, index: 0 }], usageMetadata: geminiUsage });
  });
}
