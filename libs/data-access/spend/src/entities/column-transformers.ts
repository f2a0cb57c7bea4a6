import type { ValueTransformer } from 'typeorm';

/** `bigint` counters read as numbers (pg returns them as strings; counts stay far below 2^53). */
export const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};
