/** An error answered by the gateway (OpenAI error JSON), with its HTTP status. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly param?: string | null,
  ) {
    super(message);
  }
}

type Query = Record<string, string | number | boolean | undefined | null>;

let csrfToken = '';
let onSignedOut: () => void = () => undefined;

/** The session's CSRF token, sent as `x-csrf-token` on every write. */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** Called when the gateway says the session is gone (expired, signed out elsewhere, key blocked). */
export function setSignedOutHandler(handler: () => void): void {
  onSignedOut = handler;
}

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

export function requestHeaders(method: string, json: boolean): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (json) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  return headers;
}

export async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { error?: { message?: string; param?: string | null } };
    return new ApiError(body.error?.message ?? `HTTP ${response.status}`, response.status, body.error?.param);
  } catch {
    return new ApiError(text || `HTTP ${response.status}`, response.status);
  }
}

/** Calls a gateway route with the session cookie; JSON in, JSON out, errors as ApiError. */
export async function api<T>(path: string, options: { method?: 'GET' | 'POST'; body?: unknown; query?: Query } = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const response = await fetch(withQuery(path, options.query), {
    method,
    credentials: 'same-origin',
    headers: requestHeaders(method, options.body !== undefined),
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  if (!response.ok) {
    const error = await errorOf(response);
    if (response.status === 401 && !path.startsWith('/v2/login')) void confirmSignedOut();
    throw error;
  }
  return (await response.json()) as T;
}

/**
 * A 401 from a route may only mean this key may not call it (a key without a user gets LiteLLM's 401 on
 * management routes): the session is gone only when the session route says so too.
 */
async function confirmSignedOut(): Promise<void> {
  const response = await fetch('/ui/api/session', { credentials: 'same-origin', headers: { accept: 'application/json' } }).catch(() => undefined);
  if (response?.status === 401) onSignedOut();
}

export const post = <T>(path: string, body: unknown) => api<T>(path, { method: 'POST', body });
