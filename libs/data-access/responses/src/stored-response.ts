/** A stored response: what chaining, retrieval and input-item listing need. */
export interface StoredResponse {
  id: string;
  owner: string;
  deploymentId: string;
  modelGroup: string;
  previousResponseId: string | null;
  status: string;
  /** The input items of this request, with their ids. */
  inputItems: unknown[];
  /** The whole conversation after this response, in canonical chat messages. */
  messages: unknown[];
  /** The response object as the client received it. */
  response: Record<string, unknown>;
}
