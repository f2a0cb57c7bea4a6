import type { OpenAiCompletion } from '../openai-compatible/openai-compatible-api-schemas';

/**
 * The minimal, tolerant shapes of watsonx.ai answers (https://cloud.ibm.com/apidocs/watsonx-ai#text-chat):
 * OpenAI's chat completion with `model_id`, `created_at`, `model_version` and service warnings.
 */
export interface WatsonxChatResponse extends OpenAiCompletion {
  model_id?: string;
  created_at?: string;
  model_version?: string;
  system?: { warnings?: Array<{ id?: string; message?: string }> };
}

/** watsonx.ai errors (https://cloud.ibm.com/apidocs/watsonx-ai). */
export interface WatsonxErrorBody {
  errors?: Array<{ code?: string; message?: string; more_info?: string }>;
  trace?: string;
  status_code?: number;
}

/** POST /ml/v1/text/embeddings (https://cloud.ibm.com/apidocs/watsonx-ai). */
export interface WatsonxEmbeddingResponse {
  model_id?: string;
  results?: Array<{ embedding: number[]; input?: string }>;
  input_token_count?: number;
  created_at?: string;
}

/** https://cloud.ibm.com/docs/iam?topic=iam-iamtoken_from_apikey */
export interface IbmIamTokenResponse {
  access_token?: string;
  token_type?: string;
  expires_in?: number;
  /** Seconds since the epoch. */
  expiration?: number;
}

export interface IbmIamErrorBody {
  errorCode?: string;
  errorMessage?: string;
}
