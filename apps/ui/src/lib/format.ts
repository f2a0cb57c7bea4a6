export function formatUsd(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (value !== 0 && Math.abs(value) < 0.01) return `$${value.toPrecision(3)}`;
  return `$${value.toFixed(2)}`;
}

export function formatNumber(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : value.toLocaleString('en-US');
}

export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString().replace('T', ' ').slice(0, 19);
}

/** A key hash shortened for display; enough to tell keys apart, never the key. */
export function shortHash(hash: string | null | undefined): string {
  return hash ? `${hash.slice(0, 10)}…` : '—';
}

export function limitText(value: number | null | undefined, unit = ''): string {
  return value === null || value === undefined ? 'none' : `${value.toLocaleString('en-US')}${unit}`;
}
