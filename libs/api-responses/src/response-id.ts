import { SwitchboardError, quoteInput } from '@switchboard/spec';

/**
 * Response ids have one format everywhere (every streamed event, the completed response, the
 * non-streamed body, retrieval): `resp_` + base64url of the deployment id and the request id,
 * so a follow-up can be routed to the deployment that answered.
 */
export function responseId(deploymentId: string, requestId: string): string {
  return `resp_${Buffer.from(`${deploymentId}\u0000${requestId}`).toString('base64url')}`;
}

export function parseResponseId(id: string): { deploymentId: string; requestId: string } {
  if (!id.startsWith('resp_')) throw new SwitchboardError('not_found', `No response found with id '${quoteInput(id)}'`, { param: 'previous_response_id' });
  const decoded = Buffer.from(id.slice(5), 'base64url').toString();
  const separator = decoded.indexOf('\u0000');
  if (separator <= 0) throw new SwitchboardError('not_found', `No response found with id '${quoteInput(id)}'`, { param: 'previous_response_id' });
  return { deploymentId: decoded.slice(0, separator), requestId: decoded.slice(separator + 1) };
}
