import { Inject, Injectable } from '@nestjs/common';
import { ResponseBuilder, convertResponsesRequest, parseResponseId, responseId } from '@switchboard/api-responses';
import type { ResponsesRequest } from '@switchboard/api-responses';
import type { Caller } from '@switchboard/contracts';
import type { StoredResponse } from '@switchboard/data-access-responses';
import { SwitchboardError, quoteInput } from '@switchboard/spec';
import type { ChatMessage, ChatRequest } from '@switchboard/spec';
import type { StartedReply } from '../chat/chat-attempt.service';
import { responseOwner } from './response-owner';
import { ResponseStoreService } from './response-store.service';
import { ResponsesEncoder } from './responses.encoder';

/** One Responses request, ready to route: the request, the chat request it becomes, and its owner. */
export interface ResponsesCall {
  request: ResponsesRequest;
  chat: ChatRequest;
  owner: string;
  /** The deployment that answered `previous_response_id`, preferred for this turn. */
  previousDeploymentId?: string;
  /** The conversation before this turn (from `previous_response_id`). */
  previousMessages: ChatMessage[];
}

/**
 * OpenAI's Responses API bridged to chat, for every edge (HTTP `/v1/responses`, the NATS
 * `responses` subject): conversation state bound to the key, the chat request, and the answer,
 * whole or streamed. Conversation state is stored before the final event, so
 * `previous_response_id` works at once, streamed or not, on any instance and over either edge.
 */
@Injectable()
export class ResponsesService {
  constructor(@Inject(ResponseStoreService) private readonly store: ResponseStoreService) {}

  /** Resolves `previous_response_id` (of this caller's key only) and builds the chat request. */
  async prepare(request: ResponsesRequest, caller: Caller): Promise<ResponsesCall> {
    const owner = responseOwner(caller);
    const previous = request.previous_response_id ? await this.owned(request.previous_response_id, owner, 'previous_response_id') : undefined;
    const previousMessages = (previous?.messages ?? []) as ChatMessage[];
    const chat = convertResponsesRequest(request, previousMessages);
    return { request, chat, owner, previousDeploymentId: previous?.deploymentId, previousMessages };
  }

  /** The chat request of a fallback entry with fields of its own: the same conversation so far. */
  chatFor(call: ResponsesCall, request: ResponsesRequest): ChatRequest {
    return convertResponsesRequest(request, call.previousMessages);
  }

  /** A stored response of this owner; anything else (absent, deleted, another key's, `store: false`) is 404. */
  async owned(id: string, owner: string, param: string): Promise<StoredResponse> {
    parseResponseId(id);
    const stored = await this.store.find(id);
    if (!stored || stored.owner !== owner) {
      throw new SwitchboardError('not_found', `No response found with id '${quoteInput(id)}' (responses created with store: false are not kept)`, { param });
    }
    return stored;
  }

  async remove(id: string, owner: string): Promise<void> {
    await this.owned(id, owner, 'id');
    await this.store.delete(id, owner);
  }

  private builder(call: ResponsesCall, started: StartedReply, requestId: string, startedAt: number): ResponseBuilder {
    const request = call.request;
    return new ResponseBuilder({
      id: responseId(started.deployment.id, requestId),
      model: request.model,
      createdAt: Math.floor(startedAt / 1000),
      instructions: request.instructions,
      previousResponseId: request.previous_response_id,
      store: request.store !== false,
      metadata: request.metadata,
      maxOutputTokens: request.max_output_tokens,
      temperature: request.temperature,
      topP: request.top_p,
      tools: request.tools,
      toolChoice: request.tool_choice,
      text: request.text,
      parallelToolCalls: request.parallel_tool_calls,
    });
  }

  /** The answer's encoder for this turn: the response id names the deployment that answered. */
  encoder(call: ResponsesCall, started: StartedReply, requestId: string, startedAt: number): ResponsesEncoder {
    return new ResponsesEncoder(this.builder(call, started, requestId, startedAt), (builder, status) => this.save(call, started, builder, status));
  }

  private async save(call: ResponsesCall, started: StartedReply, builder: ResponseBuilder, status: string): Promise<void> {
    const request = call.request;
    if (request.store === false) return;
    const response = builder.response(status);
    const inputs = typeof request.input === 'string' ? [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: request.input }] }] : (request.input ?? []);
    const id = String(response.id);
    await this.store.save({
      id,
      owner: call.owner,
      deploymentId: started.deployment.id,
      modelGroup: started.deployment.modelName,
      previousResponseId: request.previous_response_id ?? null,
      status,
      inputItems: inputs.map((item, index) => ({ id: `msg_${id.slice(5)}_in${index}`, ...item })),
      messages: [...call.chat.messages.filter((message) => message.role !== 'system'), builder.assistantMessage()],
      response,
    });
  }
}
