import { networkError, readSseEvents } from '@switchboard/provider-utils';
import type { UpstreamResponse } from '@switchboard/provider-utils';
import { SwitchboardError } from '@switchboard/spec';
import type { ChatRequest, ChatResult, ProviderAdapter, ProviderCallOptions, StreamPart } from '@switchboard/spec';
import type { ReplicatePrediction } from './replicate-api-schemas';
import { replicatePredictionError } from './replicate-error';
import { cancelPrediction, createPrediction, getPrediction, openPredictionStream, waitForPrediction } from './replicate-predictions';
import { ReplicateStreamTransformer } from './replicate-stream-transformer';
import { convertReplicateUsage, replicateOutputText } from './convert-replicate-usage';
import { convertToReplicateInput } from './convert-to-replicate-request';
import { mapReplicateFinishReason } from './map-replicate-finish-reason';

/**
 * Replicate predictions (https://replicate.com/docs/reference/http): a synchronous create
 * (`Prefer: wait`) polled at `urls.get` until it finishes, or a streaming create read from its
 * `urls.stream` (SSE). A prediction whose caller goes away is cancelled.
 */
export class ReplicateAdapter implements ProviderAdapter {
  readonly provider = 'replicate';

  async chat(options: ProviderCallOptions<ChatRequest>): Promise<ChatResult> {
    const { deployment, signal } = options;
    const { input, promptText, warnings } = convertToReplicateInput(options.request, deployment);
    const created = await createPrediction(deployment, input, 'wait', signal);
    let prediction: ReplicatePrediction;
    try {
      prediction = await waitForPrediction(deployment, created, signal);
    } catch (error) {
      // Aborted, timed out or unreadable: the prediction would otherwise run (and bill) to its end.
      cancelPrediction(deployment, created);
      throw error;
    }
    if (prediction.status !== 'succeeded') throw replicatePredictionError(prediction);
    const text = replicateOutputText(prediction.output);
    const result: ChatResult = {
      id: prediction.id ?? `chatcmpl-${options.requestId}`,
      model: deployment.upstreamModel,
      created: Math.floor(Date.now() / 1000),
      choices: [{ index: 0, message: { role: 'assistant', content: text }, finishReason: mapReplicateFinishReason(prediction.status) }],
      usage: convertReplicateUsage(prediction.metrics, promptText, text),
    };
    return warnings.length ? { ...result, warnings } : result;
  }

  async chatStream(options: ProviderCallOptions<ChatRequest>): Promise<AsyncIterable<StreamPart>> {
    const { deployment, signal } = options;
    const { input, promptText, warnings } = convertToReplicateInput(options.request, deployment);
    const prediction = await createPrediction(deployment, input, 'stream', signal);
    const cancel = cancelOnce(options, prediction);
    try {
      if (!prediction.urls?.stream) {
        throw new SwitchboardError('invalid_request', `replicate model ${deployment.upstreamModel} does not stream its output`, { status: 400, retryable: false });
      }
      const response = await openPredictionStream(deployment, prediction.urls.stream, signal);
      const transformer = new ReplicateStreamTransformer(prediction.id ?? `chatcmpl-${options.requestId}`, deployment.upstreamModel, warnings);
      return this.streamParts(options, prediction, response, transformer, promptText, cancel);
    } catch (error) {
      cancel.now();
      throw error;
    }
  }

  /**
   * The stream's parts, then usage: the finished prediction's `metrics` are fetched once after
   * `done` (the stream carries none), else the usage is estimated. Failures after the start are
   * yielded as an error part; a stream that ends without `done` is one.
   */
  private async *streamParts(
    options: ProviderCallOptions<ChatRequest>,
    prediction: ReplicatePrediction,
    response: UpstreamResponse,
    transformer: ReplicateStreamTransformer,
    promptText: string,
    cancel: PredictionCancel,
  ): AsyncGenerator<StreamPart> {
    try {
      for await (const event of readSseEvents(response.body)) {
        for (const part of transformer.transform(event)) yield part;
        if (transformer.isDone) break;
      }
      if (!transformer.isDone) throw new SwitchboardError('upstream_error', 'replicate ended the stream before the prediction was done');
      const finished = prediction.urls?.get
        ? await getPrediction(options.deployment, prediction.urls.get, options.signal).catch(() => undefined)
        : undefined;
      yield { type: 'usage', usage: convertReplicateUsage(finished?.metrics, promptText, transformer.text) };
    } catch (error) {
      yield { type: 'error', error: networkError(error, options.signal).toPayload() };
    } finally {
      // A stream left before `done` (error, abort, the consumer stopping) leaves the prediction running: cancel it.
      if (transformer.isDone) cancel.release();
      else cancel.now();
      if (!response.body.destroyed) response.body.destroy();
    }
  }
}

interface PredictionCancel {
  /** Cancels the prediction (once). */
  now(): void;
  /** Stops watching the call's signal. */
  release(): void;
}

/** Cancels the prediction at most once: when the call is aborted while it runs, or when asked to. */
function cancelOnce(options: ProviderCallOptions<ChatRequest>, prediction: ReplicatePrediction): PredictionCancel {
  let cancelled = false;
  const now = () => {
    release();
    if (cancelled) return;
    cancelled = true;
    cancelPrediction(options.deployment, prediction);
  };
  const release = () => options.signal.removeEventListener('abort', now);
  if (options.signal.aborted) now();
  else options.signal.addEventListener('abort', now, { once: true });
  return { now, release };
}
