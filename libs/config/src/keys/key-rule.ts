/**
 * What Switchboard does with one key of LiteLLM's `config.yaml` (docs/litellm-compatibility.md):
 * - `honoured`: it does what LiteLLM documents (some values may still be refused, `refuseValue`);
 * - `refused`: a config that sets it (to anything but an inert value: false, null, [] or {}) does
 *   not start, and the message names the key and what to use instead;
 * - `ignored`: accepted with a warning that says why, only where the key truly has no meaning here
 *   (Python hooks, LiteLLM's own internals).
 */
export type KeyStatus = 'honoured' | 'refused' | 'ignored';

export interface KeyRule {
  status: KeyStatus;
  /** honoured: what it does here; refused: why, and what to use instead; ignored: why it has no meaning here. */
  note: string;
  /** A value of an honoured key that cannot be honoured: the reason (naming what to use instead), or undefined. */
  refuseValue?: (value: unknown) => string | undefined;
  /** The value is an object whose keys have rules of their own (`<path>.<key>`). */
  section?: Rules;
  /** The value is a list of objects whose keys have rules of their own (`<path>[].<key>`). */
  items?: Rules;
  /** Keys of the section without a rule of their own are kept as they are (free-form, like `model_info`). */
  open?: boolean;
}

export type Rules = Readonly<Record<string, KeyRule>>;

export function honoured(note: string, extra: Omit<KeyRule, 'status' | 'note'> = {}): KeyRule {
  return { status: 'honoured', note, ...extra };
}

export function refused(note: string): KeyRule {
  return { status: 'refused', note };
}

export function ignored(note: string): KeyRule {
  return { status: 'ignored', note };
}

/** A value that switches nothing on: a refused key set to it changes nothing, so it is only warned about. */
export function isInert(value: unknown): boolean {
  if (value === undefined || value === null || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value as object).length === 0;
  return false;
}

/** The strings of a list value (other entries are left to the schema to refuse). */
export function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : typeof value === 'string' ? [value] : [];
}
