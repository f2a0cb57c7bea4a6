/**
 * The answer of POST /api/v1/generate: `{ok, outputs}`, or `{ok: false, traceback}` with HTTP
 * 200 when generation failed (README "HTTP API", http_api.py).
 */
export interface PetalsGenerateResponse {
  ok?: boolean;
  outputs?: string;
  traceback?: string;
}
