import { messagesRequestSchema, countTokensRequestSchema } from '@switchboard/api-anthropic';
import { chatRequestSchema, embeddingRequestSchema } from '@switchboard/api-openai';
import { responsesRequestSchema } from '@switchboard/api-responses';
import { z } from 'zod';
import type { Route } from '../http/route-table';

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** The legacy Completions body: a prompt instead of messages, every chat parameter besides. */
const completionRequestSchema = chatRequestSchema.omit({ messages: true }).extend({
  prompt: z.union([z.string(), z.array(z.string()).length(1)]),
});

/** The request body schema of each route that takes one, from the validators the routes really use. */
const bodies: Array<{ match: RegExp; name: string; schema: z.ZodType }> = [
  { match: /^\/(v1\/)?chat\/completions$|\/(openai\/deployments|engines)\/\{model\}\/chat\/completions$/, name: 'ChatCompletionRequest', schema: chatRequestSchema },
  { match: /^\/(v1\/)?completions$|\/(openai\/deployments|engines)\/\{model\}\/completions$/, name: 'CompletionRequest', schema: completionRequestSchema },
  { match: /^\/(v1\/)?embeddings$|\/(openai\/deployments|engines)\/\{model\}\/embeddings$/, name: 'EmbeddingRequest', schema: embeddingRequestSchema },
  { match: /^\/v1\/messages$/, name: 'MessagesRequest', schema: messagesRequestSchema },
  { match: /^\/v1\/messages\/count_tokens$/, name: 'CountTokensRequest', schema: countTokensRequestSchema },
  { match: /^\/(v1\/)?responses$/, name: 'ResponsesRequest', schema: responsesRequestSchema },
];

/** Routes anyone may call (probes, sign-in, the docs themselves). */
const publicRoute = /^\/(health\/(liveliness|liveness|readiness)|openapi\.json|docs.*|v2\/login|ui.*)?$/;

function tagOf(route: Route): string {
  return route.controller.replace(/Controller$/, '');
}

/**
 * `GET /openapi.json`: an OpenAPI 3.1 document of every HTTP route the gateway serves (the route
 * table Nest builds the server from), with the request schemas the routes validate with.
 */
export function openApiDocument(routes: readonly Route[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas: Record<string, JsonSchema> = {};
  for (const route of routes) {
    const parameters = [...route.path.matchAll(/\{([^}]+)\}/g)].map((match) => ({ name: match[1], in: 'path', required: true, schema: { type: 'string' } }));
    const body = route.method === 'POST' ? bodies.find((candidate) => candidate.match.test(route.path)) : undefined;
    if (body && !schemas[body.name]) schemas[body.name] = jsonSchema(body.schema);
    const operation: Record<string, unknown> = {
      operationId: `${route.method.toLowerCase()}${route.path.replace(/[^A-Za-z0-9]+(.)?/g, (_match, next: string | undefined) => (next ? next.toUpperCase() : ''))}`,
      tags: [tagOf(route)],
      summary: `${route.controller.replace(/Controller$/, '')}: ${route.handler}`,
      ...(parameters.length ? { parameters } : {}),
      ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${body.name}` } } } } } : {}),
      ...(publicRoute.test(route.path) ? { security: [] } : {}),
      responses: {
        '200': { description: 'Success (JSON, or Server-Sent Events when the request streams)' },
        default: { description: 'An error: OpenAI error JSON (Anthropic error JSON on /v1/messages), with x-request-id' },
      },
    };
    paths[route.path] = { ...(paths[route.path] ?? {}), [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Switchboard', version, description: "An LLM gateway with LiteLLM's config, routes and headers (docs/litellm-compatibility.md)." },
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'The master key or a virtual key (sk-...)' },
        azureApiKey: { type: 'apiKey', in: 'header', name: 'api-key' },
        anthropicApiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
      },
    },
    security: [{ bearer: [] }, { azureApiKey: [] }, { anthropicApiKey: [] }],
  };
}
