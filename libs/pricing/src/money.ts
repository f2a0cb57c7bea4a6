/**
 * Money as exact integers: USD in units of 10^-12 (pico-dollars), so per-token prices like
 * $0.0000025 and their products with token counts never touch floating point.
 */
export const usdScale = 12;
const scaleFactor = 10n ** BigInt(usdScale);

/** Parses a decimal price (string or number, plain or scientific) into pico-dollars, exactly. */
export function parseUsd(value: string | number): bigint {
  const text = typeof value === 'number' ? value.toString() : value.trim();
  const match = /^(-?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) throw new Error(`Not a decimal number: ${JSON.stringify(value)}`);
  const [, sign, whole, fraction = '', exponent = '0'] = match;
  const digits = `${whole}${fraction}`.replace(/^0+(?=\d)/, '') || '0';
  const shift = Number(exponent) - fraction.length + usdScale;
  const units = shift >= 0 ? BigInt(digits) * 10n ** BigInt(shift) : BigInt(digits) / 10n ** BigInt(-shift);
  return sign === '-' ? -units : units;
}

/** Pico-dollars as a plain decimal string with 12 fraction digits (what Postgres NUMERIC takes). */
export function formatUsd(units: bigint): string {
  const negative = units < 0n;
  const absolute = negative ? -units : units;
  const whole = absolute / scaleFactor;
  const fraction = (absolute % scaleFactor).toString().padStart(usdScale, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

/** For display and response headers only: the nearest double. */
export function usdToNumber(units: bigint): number {
  return Number(formatUsd(units));
}
