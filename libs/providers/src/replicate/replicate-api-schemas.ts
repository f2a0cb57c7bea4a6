/**
 * The minimal, tolerant shape of a Replicate prediction (https://replicate.com/docs/reference/http):
 * language models answer with `output` as a list of text pieces and report token counts in `metrics`.
 */
export type ReplicatePredictionStatus = 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled' | 'aborted';

export interface ReplicatePrediction {
  id?: string;
  model?: string;
  version?: string;
  status?: ReplicatePredictionStatus;
  output?: string[] | string | null;
  error?: string | null;
  urls?: { get?: string; stream?: string; cancel?: string; web?: string };
  metrics?: ReplicateMetrics | null;
}

export interface ReplicateMetrics {
  input_token_count?: number;
  output_token_count?: number;
  predict_time?: number;
  time_to_first_token?: number;
  tokens_per_second?: number;
}

/** Replicate answers HTTP errors as problem details: `{"title", "detail", "status"}`. */
export interface ReplicateErrorBody {
  title?: string;
  detail?: string;
  status?: number;
}
