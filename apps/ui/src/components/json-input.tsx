import { JsonInput } from '@mantine/core';

/** Parses a JSON object field, or says what is wrong with it. */
export function parseJsonObject(text: string, field: string): Record<string, unknown> | undefined {
  if (!text.trim()) return undefined;
  const value: unknown = JSON.parse(text);
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${field} must be a JSON object`);
  return value as Record<string, unknown>;
}

export function ObjectInput({ label, value, onChange }: { label: string; value: string; onChange: (value: string) => void }) {
  return <JsonInput label={label} placeholder="{}" validationError="Not valid JSON" formatOnBlur autosize minRows={2} maxRows={8} value={value} onChange={onChange} />;
}
