import type { Redis } from 'ioredis';

/**
 * Budget admission in Redis, one Lua call each way (docs/ARCHITECTURE.md D16).
 *
 * Per budget `scope` there is one pool of in-flight reservations (`reserved` and the `pending`
 * set they expire from) and, per budget period, the spend the period has recorded (`spent`).
 * - `reserve` refuses when the recorded spend is over the limit (`exceeded`: LiteLLM's rule, keys
 *   at spend >= max, everything else at spend > max) or when recorded spend plus the requests in
 *   flight already take the whole budget (`committed`); otherwise it reserves the request's
 *   maximum cost, even where that is more than what is left (the budget is then committed until
 *   settlements bring it back under): a request under budget is never refused for its estimate,
 *   and at most one admitted request at a time runs without full cover.
 * - `settle` frees the reservation and adds the real cost to the period in which it settles (the
 *   ledger dates a request by its end, so both count it in the same period).
 * - A missing `spent` counter (a new period, a new budget, a Redis loss) is seeded from the ledger
 *   through `source` before anything is admitted: requests that settle meanwhile go to an
 *   `unseeded` journal, and the ledger is asked for its sum without those requests and those still
 *   in flight, so each cost is counted exactly once. Seeds of one counter are coalesced per instance
 *   and agree across instances (the first write wins).
 * Amounts are integer nano-dollars (exact in Lua's doubles up to $9 million per budget period).
 */
const reserveScript = `
local now = tonumber(ARGV[1])
local amount = tonumber(ARGV[2])
local expires = now + tonumber(ARGV[3])
local member = ARGV[4] .. '|' .. ARGV[2]
local holdTtl = tonumber(ARGV[5])
local budgets = #KEYS / 3
local missing = {}
for i = 0, budgets - 1 do
  if redis.call('EXISTS', KEYS[i * 3 + 1]) == 0 then missing[#missing + 1] = i end
end
if #missing > 0 then return {2, unpack(missing)} end
local spent, reserved = {}, {}
for i = 0, budgets - 1 do
  local reserved_key, pending_key = KEYS[i * 3 + 2], KEYS[i * 3 + 3]
  for _, old in ipairs(redis.call('ZRANGEBYSCORE', pending_key, '-inf', now)) do
    redis.call('DECRBY', reserved_key, tonumber(string.sub(old, string.find(old, '|', 1, true) + 1)))
    redis.call('ZREM', pending_key, old)
  end
  spent[i] = tonumber(redis.call('GET', KEYS[i * 3 + 1]) or '0')
  reserved[i] = math.max(0, tonumber(redis.call('GET', reserved_key) or '0'))
end
for i = 0, budgets - 1 do
  local limit, reached = tonumber(ARGV[6 + i * 3]), ARGV[7 + i * 3] == '1'
  if (reached and spent[i] >= limit) or ((not reached) and spent[i] > limit) then return {0, i, spent[i], reserved[i]} end
end
for i = 0, budgets - 1 do
  local limit, reached = tonumber(ARGV[6 + i * 3]), ARGV[7 + i * 3] == '1'
  local committed = spent[i] + reserved[i]
  if (reached and committed >= limit) or ((not reached) and committed > limit) then return {3, i, spent[i], reserved[i]} end
end
for i = 0, budgets - 1 do
  local spent_key, reserved_key, pending_key = KEYS[i * 3 + 1], KEYS[i * 3 + 2], KEYS[i * 3 + 3]
  redis.call('INCRBY', reserved_key, amount)
  redis.call('ZADD', pending_key, expires, member)
  redis.call('PEXPIRE', reserved_key, holdTtl)
  redis.call('PEXPIRE', pending_key, holdTtl)
  redis.call('PEXPIRE', spent_key, tonumber(ARGV[8 + i * 3]))
end
return {1}
`;

const settleScript = `
local member, actual, id = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local amount = tonumber(string.sub(member, string.find(member, '|', 1, true) + 1))
local budgets = #KEYS / 4
local spent = {}
for i = 0, budgets - 1 do
  local reserved_key, pending_key, spent_key, journal_key = KEYS[i * 4 + 1], KEYS[i * 4 + 2], KEYS[i * 4 + 3], KEYS[i * 4 + 4]
  if redis.call('ZREM', pending_key, member) == 1 then redis.call('DECRBY', reserved_key, amount) end
  if redis.call('EXISTS', spent_key) == 1 then
    if actual > 0 then redis.call('INCRBY', spent_key, actual) end
    spent[i + 1] = tonumber(redis.call('GET', spent_key))
  else
    if actual > 0 then
      redis.call('HSET', journal_key, id, actual)
      redis.call('PEXPIRE', journal_key, tonumber(ARGV[4 + i]))
    end
    spent[i + 1] = -1
  end
end
return spent
`;

/** 1 seeded (or already seeded by someone else); -1 a request settled or was admitted meanwhile that the ledger sum did not leave out: ask again. */
const seedScript = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 1 end
local left_out = {}
for i = 3, #ARGV do left_out[ARGV[i]] = true end
local total = tonumber(ARGV[1])
local journal = redis.call('HGETALL', KEYS[2])
for j = 1, #journal, 2 do
  if not left_out[journal[j]] then return -1 end
  total = total + tonumber(journal[j + 1])
end
for _, member in ipairs(redis.call('ZRANGE', KEYS[3], 0, -1)) do
  if not left_out[string.sub(member, 1, string.find(member, '|', 1, true) - 1)] then return -1 end
end
redis.call('SET', KEYS[1], string.format('%.0f', total), 'PX', tonumber(ARGV[2]))
redis.call('DEL', KEYS[2])
return 1
`;

/** One budget period: `[startMs, endMs)`; a budget that never resets has no end. */
export interface BudgetPeriod {
  startMs: number;
  endMs?: number;
}

export interface Budget {
  /** Stable name of what the budget belongs to: `global`, `key:<key id>`, `team:<id>` ... */
  scope: string;
  limitNanoUsd: number;
  /** The period containing an instant (`budget_duration` periods, or one endless period). */
  periodAt: (atMs: number) => BudgetPeriod;
  /** LiteLLM's comparison: keys are refused once spend reaches max (`>=`), the others once it exceeds it (`>`). */
  refuseWhen: 'reached' | 'exceeded';
  /** `soft_budget`: crossing it raises one alert per period (the request still goes through). */
  softLimitNanoUsd?: number;
}

export interface Reservation {
  id: string;
  amountNanoUsd: number;
  budgets: Budget[];
  madeAt: number;
}

export type ReserveResult =
  | { outcome: 'admitted'; reservation: Reservation }
  /** Recorded spend is over the limit of `budgets[index]`. */
  | { outcome: 'exceeded'; index: number; spentNanoUsd: number; reservedNanoUsd: number }
  /** Recorded spend and the requests in flight already take all of `budgets[index]`. */
  | { outcome: 'committed'; index: number; spentNanoUsd: number; reservedNanoUsd: number };

/** What the ledger recorded for `budget` in `period`, leaving out the named requests (Redis counts them itself). */
export type LedgerSpendSource = (budget: Budget, period: BudgetPeriod, excludeRequestIds: readonly string[]) => Promise<number>;

/** The spend of each budget's current period after a settlement (`undefined`: the counter was missing; the ledger has it). */
export interface SettledSpend {
  spentNanoUsd: number | undefined;
  periodStart: number;
}

/** A period's counter could not be seeded from the ledger (the budget service or Postgres did not answer in time). */
export class BudgetSeedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BudgetSeedError';
  }
}

export interface BudgetReservationOptions {
  /** A reservation not settled within this time is released (its request's instance died). */
  reservationTtlMs?: number;
  /** Lifetime of a budget that never resets, in Redis: it is seeded again from the ledger after that. */
  lifetimeCounterTtlMs?: number;
}

const hourMs = 3_600_000;
const attempts = 3;

export class BudgetReservations {
  private readonly reservationTtlMs: number;
  private readonly lifetimeCounterTtlMs: number;
  private readonly seeding = new Map<string, Promise<void>>();

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly source: LedgerSpendSource,
    options: BudgetReservationOptions = {},
  ) {
    this.reservationTtlMs = options.reservationTtlMs ?? 600_000;
    this.lifetimeCounterTtlMs = options.lifetimeCounterTtlMs ?? 30 * 24 * hourMs;
  }

  private scopeKey(budget: Budget): string {
    return `${this.keyPrefix}budget:${budget.scope}`;
  }

  private periodKey(budget: Budget, period: BudgetPeriod): string {
    return `${this.scopeKey(budget)}:${period.startMs}`;
  }

  /** How long a period's counter lives: an hour past the period's end (late settlements), a month for a budget that never resets. */
  private counterTtl(period: BudgetPeriod, now: number): number {
    return Math.max(60_000, period.endMs === undefined ? this.lifetimeCounterTtlMs : period.endMs - now + hourMs);
  }

  async reserve(budgets: readonly Budget[], amountNanoUsd: number, reservationId: string, now = Date.now()): Promise<ReserveResult> {
    const reservation: Reservation = { id: reservationId, amountNanoUsd: Math.max(0, Math.ceil(amountNanoUsd)), budgets: [...budgets], madeAt: now };
    if (budgets.length === 0) return { outcome: 'admitted', reservation };
    const periods = budgets.map((budget) => budget.periodAt(now));
    const keys = budgets.flatMap((budget, index) => [`${this.periodKey(budget, periods[index])}:spent`, `${this.scopeKey(budget)}:reserved`, `${this.scopeKey(budget)}:pending`]);
    const perBudget = budgets.flatMap((budget, index) => [String(budget.limitNanoUsd), budget.refuseWhen === 'reached' ? '1' : '0', String(this.counterTtl(periods[index], now))]);
    const holdTtl = String(this.reservationTtlMs + 60_000);
    for (let attempt = 0; attempt < attempts; attempt += 1) {
      const result = (await this.redis.eval(
        reserveScript,
        keys.length,
        ...keys,
        String(now),
        String(reservation.amountNanoUsd),
        String(this.reservationTtlMs),
        reservationId,
        holdTtl,
        ...perBudget,
      )) as number[];
      if (result[0] === 1) return { outcome: 'admitted', reservation };
      if (result[0] === 2) {
        await Promise.all(result.slice(1).map((index) => this.ensureSeeded(budgets[index], periods[index], now)));
        continue;
      }
      return { outcome: result[0] === 0 ? 'exceeded' : 'committed', index: result[1], spentNanoUsd: result[2], reservedNanoUsd: result[3] };
    }
    throw new BudgetSeedError('The budget counters disappeared while they were being seeded');
  }

  /** Frees the reservation and adds the real cost to each budget's current period; answers each budget's spend there. */
  async settle(reservation: Reservation, actualNanoUsd: number, now = Date.now()): Promise<SettledSpend[]> {
    if (reservation.budgets.length === 0) return [];
    const periods = reservation.budgets.map((budget) => budget.periodAt(now));
    const keys = reservation.budgets.flatMap((budget, index) => {
      const period = this.periodKey(budget, periods[index]);
      return [`${this.scopeKey(budget)}:reserved`, `${this.scopeKey(budget)}:pending`, `${period}:spent`, `${period}:unseeded`];
    });
    const member = `${reservation.id}|${reservation.amountNanoUsd}`;
    const actual = String(Math.max(0, Math.ceil(actualNanoUsd)));
    const ttls = periods.map((period) => String(this.counterTtl(period, now)));
    const spent = (await this.redis.eval(settleScript, keys.length, ...keys, member, actual, reservation.id, ...ttls)) as number[];
    return spent.map((value, index) => ({ spentNanoUsd: value < 0 ? undefined : value, periodStart: periods[index].startMs }));
  }

  /**
   * The budgets whose soft limit the spend has reached and that have not alerted yet this period:
   * one `SET NX` per crossed budget, so every gateway instance together raises one alert.
   */
  async claimSoftAlerts(reservation: Reservation, settled: readonly SettledSpend[]): Promise<Array<{ budget: Budget; spentNanoUsd: number; periodStart: number }>> {
    const claimed: Array<{ budget: Budget; spentNanoUsd: number; periodStart: number }> = [];
    for (const [index, budget] of reservation.budgets.entries()) {
      const spentNanoUsd = settled[index]?.spentNanoUsd;
      if (budget.softLimitNanoUsd === undefined || spentNanoUsd === undefined || spentNanoUsd < budget.softLimitNanoUsd) continue;
      const periodStart = settled[index].periodStart;
      const period = budget.periodAt(periodStart);
      const marker = `${this.periodKey(budget, period)}:soft-alerted`;
      if ((await this.redis.set(marker, '1', 'PX', this.counterTtl(period, Date.now()), 'NX')) === 'OK') claimed.push({ budget, spentNanoUsd, periodStart });
    }
    return claimed;
  }

  /** Seeds one period's counter from the ledger, once per instance at a time. */
  private ensureSeeded(budget: Budget, period: BudgetPeriod, now: number): Promise<void> {
    const key = this.periodKey(budget, period);
    const running = this.seeding.get(key);
    if (running) return running;
    const seeding = this.seed(budget, period, now).finally(() => this.seeding.delete(key));
    this.seeding.set(key, seeding);
    return seeding;
  }

  private async seed(budget: Budget, period: BudgetPeriod, now: number): Promise<void> {
    const base = this.periodKey(budget, period);
    const keys = [`${base}:spent`, `${base}:unseeded`, `${this.scopeKey(budget)}:pending`];
    for (let attempt = 0; attempt < attempts; attempt += 1) {
      const [journal, pending] = (await this.redis.multi().hkeys(keys[1]).zrange(keys[2], 0, -1).exec()) ?? [];
      const leftOut = [...((journal?.[1] as string[] | undefined) ?? []), ...((pending?.[1] as string[] | undefined) ?? []).map((member) => member.slice(0, member.lastIndexOf('|')))];
      let ledger: number;
      try {
        ledger = await this.source(budget, period, leftOut);
      } catch (error) {
        throw error instanceof BudgetSeedError ? error : new BudgetSeedError('The ledger did not answer the spend of this budget period', { cause: error });
      }
      const seeded = (await this.redis.eval(seedScript, keys.length, ...keys, String(Math.max(0, Math.ceil(ledger))), String(this.counterTtl(period, now)), ...leftOut)) as number;
      if (seeded === 1) return;
    }
    throw new BudgetSeedError('Requests kept settling while this budget period was being seeded');
  }
}
