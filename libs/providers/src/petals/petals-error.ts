import { upstreamError } from '@switchboard/provider-utils';
import { SwitchboardError } from '@switchboard/spec';

/** An HTTP error in front of the backend (a proxy, a crashed worker): the status keeps its meaning. */
export function petalsHttpError(status: number, bodyText: string): SwitchboardError {
  return upstreamError({ provider: 'petals', status, message: bodyText.startsWith('<') ? undefined : bodyText.slice(0, 500) || undefined });
}

/**
 * A failed generation, reported as `{ok: false, traceback}`: the traceback's last line names the
 * exception. `KeyError` is an unknown model (the backend looks models up by name), `ValueError` a
 * refused request (e.g. a model without public API); anything else is the swarm failing.
 */
export function petalsTracebackError(traceback: string | undefined): SwitchboardError {
  const line = (traceback ?? '').trim().split('\n').at(-1)?.trim() || 'generation failed';
  if (line.startsWith('KeyError')) return new SwitchboardError('model_not_found', `petals error: unknown model (${line})`, { status: 404, providerCode: 'KeyError' });
  const providerCode = /^([A-Za-z_.]+(?:Error|Exception)):/.exec(line)?.[1];
  return upstreamError({ provider: 'petals', status: line.startsWith('ValueError') ? 400 : 502, message: line, providerCode });
}
