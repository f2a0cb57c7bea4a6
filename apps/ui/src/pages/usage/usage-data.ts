import { api } from '../../api/client';
import type { SpendLogRow } from '../../api/types';

export type Granularity = 'day' | 'week' | 'month';

/** One day of one model's usage by one key (or one request, for a non-admin). */
export interface UsageRecord {
  day: string;
  model: string;
  key: string;
  spend: number;
  requests: number;
  failed: number;
  tokens: number;
}

export interface Breakdown {
  name: string;
  spend: number;
  requests: number;
}

export interface UsageData {
  records: UsageRecord[];
  teams: Breakdown[];
  customers: Breakdown[];
  tags: Breakdown[];
  /** Non-admins: derived from their own spend log rows (at most `logLimit`). */
  fromLogs: boolean;
}

export const logLimit = 1000;

interface ReportEntity {
  total_spend: number;
  metadata: Array<{ model: string; spend: number; requests: number; failed_requests?: number; total_tokens: number }>;
  [id: string]: unknown;
}

type Report = Array<{ group_by_day: string } & Record<string, ReportEntity[] | string>>;

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

function totalsOf(report: Report, list: string, id: string, names: (id: string) => string): Breakdown[] {
  const totals = new Map<string, Breakdown>();
  for (const day of report) {
    for (const entity of (day[list] as ReportEntity[] | undefined) ?? []) {
      const name = names(String(entity[id]));
      const total = totals.get(name) ?? { name, spend: 0, requests: 0 };
      total.spend += entity.total_spend;
      total.requests += entity.metadata.reduce((sum, item) => sum + item.requests, 0);
      totals.set(name, total);
    }
  }
  return [...totals.values()].sort((a, b) => b.spend - a.spend);
}

/**
 * Admins: the daily aggregates through `/global/spend/report` (per key, team and customer) and
 * `/spend/tags`. Others: their own requests from `/spend/logs`, the only spend route open to them.
 */
export async function loadUsage(days: number, admin: boolean, teamNames: (id: string) => string): Promise<UsageData> {
  const end = new Date();
  const start = new Date(end.getTime() - (days - 1) * 86_400_000);
  if (!admin) {
    const rows = await api<SpendLogRow[]>('/spend/logs', { query: { start_date: `${isoDay(start)}T00:00:00Z`, limit: logLimit } });
    const teams = new Map<string, Breakdown>();
    const tags = new Map<string, Breakdown>();
    const add = (map: Map<string, Breakdown>, name: string, spend: number) => {
      const entry = map.get(name) ?? { name, spend: 0, requests: 0 };
      entry.spend += spend;
      entry.requests += 1;
      map.set(name, entry);
    };
    for (const row of rows) {
      if (row.team_id) add(teams, teamNames(row.team_id), row.spend);
      for (const tag of row.tags ?? []) add(tags, tag, row.spend);
    }
    return {
      records: rows.map((row) => ({ day: row.occurred_at.slice(0, 10), model: row.model_group, key: row.key_alias ?? 'unnamed key', spend: row.spend, requests: 1, failed: row.status === 'success' ? 0 : 1, tokens: row.prompt_tokens + row.completion_tokens })),
      teams: [...teams.values()],
      customers: [],
      tags: [...tags.values()],
      fromLogs: true,
    };
  }
  const range = { start_date: isoDay(start), end_date: isoDay(end) };
  const [keys, teams, customers, tags] = await Promise.all([
    api<Report>('/global/spend/report', { query: { ...range, group_by: 'api_key' } }),
    api<Report>('/global/spend/report', { query: { ...range, group_by: 'team' } }),
    api<Report>('/global/spend/report', { query: { ...range, group_by: 'customer' } }),
    api<Array<{ individual_request_tag: string; log_count: number; total_spend: number }>>('/spend/tags', { query: range }),
  ]);
  const records: UsageRecord[] = [];
  for (const day of keys) {
    for (const entity of (day.api_keys as ReportEntity[] | undefined) ?? []) {
      for (const item of entity.metadata) {
        records.push({ day: day.group_by_day, model: item.model, key: String(entity.api_key), spend: item.spend, requests: item.requests, failed: item.failed_requests ?? 0, tokens: item.total_tokens });
      }
    }
  }
  return {
    records,
    teams: totalsOf(teams, 'teams', 'team_name', teamNames),
    customers: totalsOf(customers, 'customers', 'customer', (id) => id),
    tags: tags.map((tag) => ({ name: tag.individual_request_tag, spend: tag.total_spend, requests: tag.log_count })),
    fromLogs: false,
  };
}

/** The start of the bucket a day falls in: the day, its week's Monday, or its month. */
export function bucketOf(day: string, granularity: Granularity): string {
  if (granularity === 'day') return day;
  if (granularity === 'month') return day.slice(0, 7);
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
  return isoDay(date);
}

export interface SeriesPoint {
  period: string;
  spend: number;
  tokens: number;
  requests: number;
  failed: number;
  errorRate: number;
}

export function seriesOf(records: UsageRecord[], granularity: Granularity): SeriesPoint[] {
  const points = new Map<string, SeriesPoint>();
  for (const record of records) {
    const period = bucketOf(record.day, granularity);
    const point = points.get(period) ?? { period, spend: 0, tokens: 0, requests: 0, failed: 0, errorRate: 0 };
    point.spend += record.spend;
    point.tokens += record.tokens;
    point.requests += record.requests;
    point.failed += record.failed;
    points.set(period, point);
  }
  return [...points.values()].sort((a, b) => a.period.localeCompare(b.period)).map((point) => ({ ...point, errorRate: point.requests ? point.failed / point.requests : 0 }));
}

export function breakdownBy(records: UsageRecord[], field: 'model' | 'key'): Breakdown[] {
  const totals = new Map<string, Breakdown>();
  for (const record of records) {
    const entry = totals.get(record[field]) ?? { name: record[field], spend: 0, requests: 0 };
    entry.spend += record.spend;
    entry.requests += record.requests;
    totals.set(record[field], entry);
  }
  return [...totals.values()].sort((a, b) => b.spend - a.spend);
}

/** A CSV file of rows (RFC 4180 quoting), offered as a download. */
export function downloadCsv(name: string, header: string[], rows: Array<Array<string | number>>): void {
  const quote = (value: string | number) => {
    const text = String(value);
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const text = [header, ...rows].map((row) => row.map(quote).join(',')).join('\n');
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}
