import type { Redis } from 'ioredis';
import { admitScript, seedScript, settleScript } from './admission-scripts';
import type { Budget, BudgetPeriod, ParallelLimit, RateLimit, TokenLimit } from './limits';

/** Everything that limits one request. */
export interface AdmissionRequest {
  /** Unique per request: the member of every window and reservation it takes. */
  id: string;
  parallel?: readonly ParallelLimit[];
  tokens?: readonly TokenLimit[];
  requests?: readonly RateLimit[];
  budgets?: readonly Budget[];
  /** The request's maximum cost, reserved against every budget. */
  amountNanoUsd?: number;
  /** The instance's clock, which dates budget periods as the ledger does. */
  now?: number;
}

/** What an admitted request took, given back by `settle`. */
export interface Admitted {
  outcome: 'admitted';
  id: string;
  parallel: readonly ParallelLimit[];
  tokens: readonly TokenLimit[];
  budgets: readonly Budget[];
  amountNanoUsd: number;
  /** The least room left in the request windows after this one (-1: none applies). */
  requestsRemaining: number;
  /** The least room left in the token windows (-1: none applies). */
  tokensRemaining: number;
}

export type AdmissionResult =
  | Admitted
  | { outcome: 'parallel'; limit: ParallelLimit }
  | { outcome: 'tokens' | 'requests'; limit: TokenLimit | RateLimit; retryAfterMs: number }
  /** `exceeded`: recorded spend is over the limit of `budgets[index]`; `committed`: spend and the requests in flight take all of it. */
  | { outcome: 'exceeded' | 'committed'; index: number; spentNanoUsd: number; reservedNanoUsd: number };

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

export interface AdmissionGateOptions {
  /** A budget reservation not settled within this time is released (its request's instance died). */
  reservationTtlMs?: number;
  /** A parallel slot not released within this time lapses (its request's instance died). */
  parallelLeaseMs?: number;
  /** Lifetime of a budget that never resets, in Redis: it is seeded again from the ledger after that. */
  lifetimeCounterTtlMs?: number;
}

const hourMs = 3_600_000;
const attempts = 3;
const commands = { admit: 'switchboardAdmit', settle: 'switchboardSettle', seed: 'switchboardSeedBudget' } as const;
type ScriptCommand = (numberOfKeys: number, ...keysAndArgs: string[]) => Promise<unknown>;

/**
 * Admission in Redis (docs/ARCHITECTURE.md D16): every parallel, token, request and budget limit
 * of a request checked and taken in one round trip (`admit`), and given back in one (`settle`), so
 * a key with every limit costs what a key with one does. Scripts run by their hash (`EVALSHA`).
 *
 * Budgets: per budget `scope` there is one pool of in-flight reservations and, per budget period, the
 * spend the period has recorded. A budget refuses when its recorded spend is over the limit
 * (`exceeded`: LiteLLM's rule, keys at spend >= max, everything else at spend > max) or when recorded
 * spend plus the requests in flight take the whole budget (`committed`); otherwise the request's
 * maximum cost is reserved, even where that is more than what is left: a request under budget is
 * never refused for its estimate. `settle` frees the reservation and adds the real cost to the period
 * in which the request settles (the ledger dates a request by its end). A missing period counter (a
 * new period or budget, a Redis loss) is seeded from the ledger through `source` before anything is
 * admitted: requests that settle meanwhile go to an `unseeded` journal, and the ledger is asked for its
 * sum without those and the requests in flight, so each cost counts once. Seeds of one counter are
 * coalesced per instance and agree across instances (the first write wins). Amounts are integer
 * nano-dollars (exact in Lua's doubles up to $9 million per budget period).
 */
export class AdmissionGate {
  private readonly reservationTtlMs: number;
  private readonly parallelLeaseMs: number;
  private readonly lifetimeCounterTtlMs: number;
  private readonly seeding = new Map<string, Promise<void>>();
  private readonly scripts: Record<keyof typeof commands, ScriptCommand>;

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly source: LedgerSpendSource,
    options: AdmissionGateOptions = {},
  ) {
    this.reservationTtlMs = options.reservationTtlMs ?? 600_000;
    this.parallelLeaseMs = options.parallelLeaseMs ?? 600_000;
    this.lifetimeCounterTtlMs = options.lifetimeCounterTtlMs ?? 30 * 24 * hourMs;
    redis.defineCommand(commands.admit, { lua: admitScript });
    redis.defineCommand(commands.settle, { lua: settleScript });
    redis.defineCommand(commands.seed, { lua: seedScript });
    const scripted = redis as unknown as Record<string, ScriptCommand>;
    this.scripts = { admit: scripted[commands.admit].bind(redis), settle: scripted[commands.settle].bind(redis), seed: scripted[commands.seed].bind(redis) };
  }

  async admit(request: AdmissionRequest): Promise<AdmissionResult> {
    const { id, parallel = [], tokens = [], requests = [], budgets = [] } = request;
    const now = request.now ?? Date.now();
    const amountNanoUsd = Math.max(0, Math.ceil(request.amountNanoUsd ?? 0));
    const periods = budgets.map((budget) => budget.periodAt(now));
    const keys = [
      ...parallel.map((limit) => `${this.keyPrefix}parallel:${limit.scope}`),
      ...tokens.map((limit) => this.tokenKey(limit)),
      ...requests.map((limit) => `${this.keyPrefix}ratelimit:${limit.scope}`),
      ...budgets.flatMap((budget, index) => [`${this.periodKey(budget, periods[index])}:spent`, `${this.scopeKey(budget)}:reserved`, `${this.scopeKey(budget)}:pending`]),
    ];
    const args = [
      ...[parallel.length, tokens.length, requests.length, budgets.length].map(String),
      id,
      String(this.parallelLeaseMs),
      String(now),
      String(amountNanoUsd),
      String(this.reservationTtlMs),
      String(this.reservationTtlMs + 60_000),
      ...parallel.map((limit) => String(limit.limit)),
      ...[...tokens, ...requests].flatMap((limit) => [String(limit.limit), String(limit.windowMs)]),
      ...budgets.flatMap((budget, index) => [String(budget.limitNanoUsd), budget.refuseWhen === 'reached' ? '1' : '0', String(this.counterTtl(periods[index], now))]),
    ];
    for (let attempt = 0; attempt < attempts; attempt += 1) {
      const result = (await this.scripts.admit(keys.length, ...keys, ...args)) as number[];
      switch (result[0]) {
        case 1:
          return { outcome: 'admitted', id, parallel, tokens, budgets, amountNanoUsd, requestsRemaining: result[1], tokensRemaining: result[2] };
        case 2:
          await Promise.all(result.slice(1).map((index) => this.ensureSeeded(budgets[index], periods[index], now)));
          continue;
        case 4:
          return { outcome: 'parallel', limit: parallel[result[1]] };
        case 5:
          return { outcome: 'tokens', limit: tokens[result[1]], retryAfterMs: Math.max(1, result[3]) };
        case 6:
          return { outcome: 'requests', limit: requests[result[1]], retryAfterMs: Math.max(1, result[3]) };
        default:
          return { outcome: result[0] === 0 ? 'exceeded' : 'committed', index: result[1], spentNanoUsd: result[2], reservedNanoUsd: result[3] };
      }
    }
    throw new BudgetSeedError('The budget counters disappeared while they were being seeded');
  }

  /** Frees the request's slots and reservation, records its tokens and adds its real cost to each budget's current period; answers each budget's spend there. */
  async settle(admitted: Admitted, usedTokens: number, actualNanoUsd: number, now = Date.now()): Promise<SettledSpend[]> {
    const { id, parallel, tokens, budgets } = admitted;
    const periods = budgets.map((budget) => budget.periodAt(now));
    const keys = [
      ...parallel.map((limit) => `${this.keyPrefix}parallel:${limit.scope}`),
      ...tokens.map((limit) => this.tokenKey(limit)),
      ...budgets.flatMap((budget, index) => {
        const period = this.periodKey(budget, periods[index]);
        return [`${this.scopeKey(budget)}:reserved`, `${this.scopeKey(budget)}:pending`, `${period}:spent`, `${period}:unseeded`];
      }),
    ];
    const args = [
      ...[parallel.length, tokens.length, budgets.length].map(String),
      id,
      String(Math.max(0, Math.round(usedTokens))),
      String(admitted.amountNanoUsd),
      String(Math.max(0, Math.ceil(actualNanoUsd))),
      ...tokens.map((limit) => String(limit.windowMs)),
      ...periods.map((period) => String(this.counterTtl(period, now))),
    ];
    const spent = (await this.scripts.settle(keys.length, ...keys, ...args)) as number[];
    return spent.map((value, index) => ({ spentNanoUsd: value < 0 ? undefined : value, periodStart: periods[index].startMs }));
  }

  /**
   * The budgets whose soft limit the spend has reached and that have not alerted yet this period:
   * one `SET NX` per crossed budget, so every gateway instance together raises one alert.
   */
  async claimSoftAlerts(admitted: Admitted, settled: readonly SettledSpend[]): Promise<Array<{ budget: Budget; spentNanoUsd: number; periodStart: number }>> {
    const claimed: Array<{ budget: Budget; spentNanoUsd: number; periodStart: number }> = [];
    for (const [index, budget] of admitted.budgets.entries()) {
      const spentNanoUsd = settled[index]?.spentNanoUsd;
      if (budget.softLimitNanoUsd === undefined || spentNanoUsd === undefined || spentNanoUsd < budget.softLimitNanoUsd) continue;
      const periodStart = settled[index].periodStart;
      const period = budget.periodAt(periodStart);
      const marker = `${this.periodKey(budget, period)}:soft-alerted`;
      if ((await this.redis.set(marker, '1', 'PX', this.counterTtl(period, Date.now()), 'NX')) === 'OK') claimed.push({ budget, spentNanoUsd, periodStart });
    }
    return claimed;
  }

  private tokenKey(limit: TokenLimit): string {
    return `${this.keyPrefix}tokens:${limit.scope}`;
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
      const leftOut = await this.requestsCountedInRedis(keys[1], keys[2]);
      let ledger: number;
      try {
        ledger = await this.source(budget, period, leftOut);
      } catch (error) {
        throw error instanceof BudgetSeedError ? error : new BudgetSeedError('The ledger did not answer the spend of this budget period', { cause: error });
      }
      const seeded = (await this.scripts.seed(keys.length, ...keys, String(Math.max(0, Math.ceil(ledger))), String(this.counterTtl(period, now)), ...leftOut)) as number;
      if (seeded === 1) return;
    }
    throw new BudgetSeedError('Requests kept settling while this budget period was being seeded');
  }

  /** The requests of the journal and those in flight: Redis counts them itself, so the ledger's sum leaves them out. */
  private async requestsCountedInRedis(journalKey: string, pendingKey: string): Promise<string[]> {
    const [journal, pending] = (await this.redis.multi().hkeys(journalKey).zrange(pendingKey, 0, -1).exec()) ?? [];
    const settled = (journal?.[1] as string[] | undefined) ?? [];
    const inFlight = ((pending?.[1] as string[] | undefined) ?? []).map((member) => member.slice(0, member.lastIndexOf('|')));
    return [...settled, ...inFlight];
  }
}
