import { SwitchboardError } from '@switchboard/spec';

/**
 * An upstream body as JSON, or the one error every adapter raises for a body that is not JSON
 * (a proxy's HTML page, a truncated answer): `upstream_error`, naming the source, never quoting it.
 */
export function parseUpstreamJson<T>(text: string, source: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new SwitchboardError('upstream_error', `${source} returned a response that is not JSON`);
  }
}
