import { SwitchboardError } from '@switchboard/spec';

/** 400 naming the field, as LiteLLM's validation errors do. */
export function invalidField(param: string, message: string): SwitchboardError {
  return new SwitchboardError('invalid_request', message, { param });
}

/** 404: unknown, or belonging to another tenant (whose existence the caller must not learn). */
export function notFound(what: string, id: string | undefined, param: string): SwitchboardError {
  return new SwitchboardError('not_found', `${what} not found${id ? `: ${id}` : ''}`, { param });
}

/** 403: the caller can see the object but may not do this to it. */
export function forbidden(message: string, param?: string): SwitchboardError {
  return new SwitchboardError('permission_denied', message, { param: param ?? null });
}
