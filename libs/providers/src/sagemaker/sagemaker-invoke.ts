import { headerValue, postUpstream } from '@switchboard/provider-utils';
import type { UpstreamResponse } from '@switchboard/provider-utils';
import type { ProviderCallOptions } from '@switchboard/spec';
import { readEventStream } from '../aws/aws-event-stream';
import { signedSagemakerRequest } from './sagemaker-api';
import { sagemakerError, sagemakerStreamException } from './sagemaker-error';

/**
 * Calls the endpoint (InvokeEndpoint, or InvokeEndpointWithResponseStream for a stream) with a
 * JSON body; an HTTP error becomes a typed error before any output.
 */
export async function invokeSagemakerEndpoint(options: ProviderCallOptions<unknown>, body: unknown, stream: boolean): Promise<UpstreamResponse> {
  const { deployment } = options;
  const text = JSON.stringify(body);
  const signed = await signedSagemakerRequest(deployment, stream, text);
  return postUpstream({
    url: signed.url,
    headers: signed.headers,
    body: text,
    deployment,
    signal: options.signal,
    stream,
    toError: (status, errorText, headers) =>
      sagemakerError(deployment.provider, status, headerValue(headers, 'x-amzn-errortype'), errorText, headerValue(headers, 'retry-after')),
  });
}

/**
 * The container's own bytes from InvokeEndpointWithResponseStream: the AWS event stream is
 * decoded once, each `PayloadPart`'s body is yielded in order (a part may end anywhere, even inside
 * a character or an SSE line), and an exception or error message is thrown.
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_ResponseStream.html
 */
export async function* readPayloadParts(body: AsyncIterable<Uint8Array>, provider: string): AsyncGenerator<Uint8Array> {
  for await (const event of readEventStream(body)) {
    if (event.messageType === 'exception') throw sagemakerStreamException(provider, event.exceptionType, event.payload);
    if (event.messageType === 'error') throw sagemakerStreamException(provider, event.errorCode, JSON.stringify({ Message: event.errorMessage }));
    if (event.eventType === 'PayloadPart' && event.bytes.length > 0) yield event.bytes;
  }
}
