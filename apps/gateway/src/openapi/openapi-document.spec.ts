import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { gatewayControllers } from '../http/gateway-controllers';
import { routeTable } from '../http/route-table';
import { openApiDocument } from './openapi-document';

describe('GET /openapi.json', () => {
  const routes = routeTable(gatewayControllers);
  const document = openApiDocument(routes, '0.1.0') as { openapi: string; paths: Record<string, Record<string, { requestBody?: unknown; security?: unknown[] }>>; components: { schemas: Record<string, { properties?: Record<string, unknown> }> } };

  it('has every route the gateway serves, with its method', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(routes.length).toBeGreaterThan(60);
    for (const route of routes) expect(document.paths[route.path]?.[route.method.toLowerCase()], `${route.method} ${route.path}`).toBeDefined();
  });

  it('describes request bodies with the schemas the routes validate with, and marks the public routes', () => {
    for (const path of ['/v1/chat/completions', '/openai/deployments/{model}/chat/completions', '/engines/{model}/chat/completions']) {
      expect(document.paths[path].post.requestBody).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/ChatCompletionRequest' } } } });
    }
    expect(document.paths['/v1/completions'].post.requestBody).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/CompletionRequest' } } } });
    expect(Object.keys(document.components.schemas.ChatCompletionRequest.properties ?? {})).toEqual(expect.arrayContaining(['model', 'messages', 'temperature', 'stream_options']));
    expect(Object.keys(document.components.schemas.CompletionRequest.properties ?? {})).toEqual(expect.arrayContaining(['model', 'prompt']));
    expect(document.paths['/health/liveliness'].get.security).toEqual([]);
    expect(document.paths['/v1/models'].get.security).toBeUndefined();
  });
});
