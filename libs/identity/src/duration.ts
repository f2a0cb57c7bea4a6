/** LiteLLM's `budget_duration` strings (`30s`, `1h`, `1d`, `7d`, `30d`, `1mo`) in milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)\s*(s|m|h|d|w|mo)$/.exec(text.trim());
  if (!match) throw new Error(`Invalid duration '${text}' (use 30s, 15m, 1h, 1d, 7d, 30d or 1mo)`);
  const amount = Number(match[1]);
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, mo: 2_592_000_000 }[match[2] as 's' | 'm' | 'h' | 'd' | 'w' | 'mo'];
  return amount * unit;
}
