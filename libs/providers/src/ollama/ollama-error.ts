import { upstreamError } from '@switchboard/provider-utils';
import type { SwitchboardError } from '@switchboard/spec';

/** Ollama errors are `{"error": "..."}` with the HTTP status, e.g. 404 `model "x" not found, try pulling it first`. */
export function ollamaError(provider: string, status: number, bodyText: string): SwitchboardError {
  return upstreamError({ provider, status, message: readOllamaErrorMessage(bodyText) });
}

export function readOllamaErrorMessage(bodyText: string): string | undefined {
  try {
    const body = JSON.parse(bodyText) as { error?: unknown };
    if (typeof body.error === 'string') return body.error;
  } catch {
    // not JSON: fall through to the raw text
  }
  return bodyText.slice(0, 500) || undefined;
}
