import type { FastifyReply } from 'fastify';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import type { CallPlan } from '../lifecycle/call-plan';
import type { EdgeRequest } from '../lifecycle/edge-request';
import { HttpAnswerSink } from './http-answer.sink';

/** An HTTP request as every API's planner reads it. */
export function httpEdgeRequest(request: AuthenticatedRequest): EdgeRequest {
  return { requestId: request.id, edge: 'http', verified: request.verifiedKey, headers: request.headers };
}

/** The sink of a planned HTTP request: from here on the pipeline writes the raw response. */
export function httpSinkFor(request: AuthenticatedRequest, reply: FastifyReply, plan: CallPlan): HttpAnswerSink {
  reply.hijack();
  return new HttpAnswerSink(reply.raw, request.id, plan.errorFormat);
}
