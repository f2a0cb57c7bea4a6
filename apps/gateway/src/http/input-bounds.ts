import type { GeneralSettings } from '@switchboard/config';
import { SwitchboardError } from '@switchboard/spec';

/** Limits on the shape of a request body, checked once when it is parsed, on every edge. */
export interface InputBounds {
  /** `general_settings.max_request_json_depth`: nested objects and arrays. */
  maxDepth: number;
  /** `general_settings.max_request_array_length`: items of any one array. */
  maxArrayLength: number;
  /** `general_settings.max_request_messages`: chat / Messages `messages`, Responses and embeddings `input`. */
  maxMessages: number;
}

export const defaultInputBounds: InputBounds = { maxDepth: 100, maxArrayLength: 100_000, maxMessages: 5_000 };

export function inputBoundsFrom(general: GeneralSettings): InputBounds {
  const setting = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : fallback);
  return {
    maxDepth: setting(general.max_request_json_depth, defaultInputBounds.maxDepth),
    maxArrayLength: setting(general.max_request_array_length, defaultInputBounds.maxArrayLength),
    maxMessages: setting(general.max_request_messages, defaultInputBounds.maxMessages),
  };
}

/** Top-level lists of conversation items, bounded by `max_request_messages`. */
const messageLists = ['messages', 'input'];

/**
 * Refuses a parsed body that is nested too deep, has too long an array, or too many messages, with
 * a 400 naming the limit. It visits only objects and arrays (never string contents), without
 * recursion, so a typical chat body costs microseconds and a hostile one cannot overflow the stack
 * here or in anything that walks the body later (validation, serialisation).
 */
export function checkInputBounds(body: unknown, bounds: InputBounds): void {
  if (body === null || typeof body !== 'object') return;
  if (!Array.isArray(body)) {
    for (const field of messageLists) {
      const list = (body as Record<string, unknown>)[field];
      if (Array.isArray(list) && list.length > bounds.maxMessages) {
        throw new SwitchboardError('invalid_request', `'${field}' has ${list.length} items; the limit is ${bounds.maxMessages} (general_settings.max_request_messages)`, { param: field });
      }
    }
  }
  const containers: object[] = [body];
  const depths: number[] = [1];
  while (containers.length > 0) {
    const container = containers.pop() as object;
    const depth = depths.pop() as number;
    if (depth > bounds.maxDepth) {
      throw new SwitchboardError('invalid_request', `The request body is nested deeper than ${bounds.maxDepth} levels (general_settings.max_request_json_depth)`, { param: 'body' });
    }
    if (Array.isArray(container)) {
      if (container.length > bounds.maxArrayLength) {
        throw new SwitchboardError('invalid_request', `An array in the request body has ${container.length} items; the limit is ${bounds.maxArrayLength} (general_settings.max_request_array_length)`, { param: 'body' });
      }
      for (const item of container) {
        if (item !== null && typeof item === 'object') {
          containers.push(item as object);
          depths.push(depth + 1);
        }
      }
    } else {
      for (const key in container) {
        const item = (container as Record<string, unknown>)[key];
        if (item !== null && typeof item === 'object') {
          containers.push(item);
          depths.push(depth + 1);
        }
      }
    }
  }
}
