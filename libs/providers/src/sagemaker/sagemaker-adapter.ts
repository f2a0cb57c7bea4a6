import { readSseEvents, readText, streamParts } from '@switchboard/provider-utils';
import type { ChatRequest, ChatResult, ProviderAdapter, ProviderCallOptions, StreamPart } from '@switchboard/spec';
import { convertSagemakerResponse } from './convert-sagemaker-response';
import { convertToSagemakerRequest } from './convert-to-sagemaker-request';
import { invokeSagemakerEndpoint, readPayloadParts } from './sagemaker-invoke';
import { SagemakerStreamTransformer } from './sagemaker-stream-transformer';

/**
 * `sagemaker/<endpoint-name>`: a SageMaker real-time endpoint running a Hugging Face text-generation
 * container (TGI, the Hugging Face LLM DLC), called with `{inputs, parameters}` on InvokeEndpoint,
 * or streamed with InvokeEndpointWithResponseStream (TGI's SSE inside the AWS event stream).
 * Signed with SigV4 (service `sagemaker`). docs/providers/sagemaker.md
 */
export class SagemakerAdapter implements ProviderAdapter {
  readonly provider = 'sagemaker';

  async chat(options: ProviderCallOptions<ChatRequest>): Promise<ChatResult> {
    const { body, promptText, warnings } = convertToSagemakerRequest(options.request, options.deployment, false);
    const response = await invokeSagemakerEndpoint(options, body, false);
    const result = convertSagemakerResponse(await readText(response, options.signal), `chatcmpl-${options.requestId}`, options.deployment.upstreamModel, promptText);
    return warnings.length ? { ...result, warnings } : result;
  }

  async chatStream(options: ProviderCallOptions<ChatRequest>): Promise<AsyncIterable<StreamPart>> {
    const { body, promptText, warnings } = convertToSagemakerRequest(options.request, options.deployment, true);
    const response = await invokeSagemakerEndpoint(options, body, true);
    const transformer = new SagemakerStreamTransformer(`chatcmpl-${options.requestId}`, options.deployment.upstreamModel, promptText);
    const events = readSseEvents(readPayloadParts(response.body, this.provider));
    return streamParts(response, events, (event) => transformer.transform(event), options.signal, {
      warnings,
      isDone: () => transformer.isDone,
      finish: () => transformer.finish(),
    });
  }
}
