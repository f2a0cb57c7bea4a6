import { RequestMethod } from '@nestjs/common';
import type { Type } from '@nestjs/common';

/** One HTTP route the gateway serves, as its controller declares it. */
export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** OpenAPI style: `/openai/deployments/{model}/chat/completions`. */
  path: string;
  controller: string;
  handler: string;
}

const methods: Partial<Record<RequestMethod, Route['method']>> = {
  [RequestMethod.GET]: 'GET',
  [RequestMethod.POST]: 'POST',
  [RequestMethod.PUT]: 'PUT',
  [RequestMethod.PATCH]: 'PATCH',
  [RequestMethod.DELETE]: 'DELETE',
};

const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : ['']);

function join(prefix: string, path: string): string {
  const full = `/${[prefix, path].filter(Boolean).join('/')}`.replace(/\/+/g, '/');
  return full.replace(/:([A-Za-z_]+)/g, '{$1}');
}

/**
 * The routes of the given controllers, read from the metadata Nest's `@Controller` / `@Get` /
 * `@Post` decorators write: the same table the HTTP server is built from, so /openapi.json and
 * docs/litellm-compatibility.md are checked against what is really served.
 */
export function routeTable(controllers: readonly Type[]): Route[] {
  const routes: Route[] = [];
  for (const controller of controllers) {
    const prefixes = list(Reflect.getMetadata('path', controller));
    const prototype = controller.prototype as Record<string, unknown>;
    for (const handler of Object.getOwnPropertyNames(prototype)) {
      const target = prototype[handler];
      if (handler === 'constructor' || typeof target !== 'function') continue;
      const method = methods[Reflect.getMetadata('method', target) as RequestMethod];
      const paths = Reflect.getMetadata('path', target) as unknown;
      if (!method || paths === undefined) continue;
      for (const prefix of prefixes) for (const path of list(paths)) routes.push({ method, path: join(prefix, path), controller: controller.name, handler });
    }
  }
  return routes;
}
