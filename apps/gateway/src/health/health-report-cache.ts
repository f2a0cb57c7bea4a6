/**
 * Deployment probe reports, kept for `health_check_interval` seconds per scope (every deployment,
 * or one model group): however often `GET /health` is called, each scope probes the upstreams at
 * most once per interval, and concurrent calls share the probe under way.
 */
export class HealthReportCache<T> {
  private readonly reports = new Map<string, { report: T; at: number }>();
  private readonly running = new Map<string, Promise<T>>();

  constructor(private readonly intervalMs: number) {}

  async get(scope: string, probe: () => Promise<T>, now = Date.now()): Promise<T> {
    const cached = this.reports.get(scope);
    if (cached && now - cached.at < this.intervalMs) return cached.report;
    return this.refresh(scope, probe);
  }

  /** Probes now (a background round), unless a probe of the scope is already under way. */
  refresh(scope: string, probe: () => Promise<T>): Promise<T> {
    const running = this.running.get(scope);
    if (running) return running;
    const started = probe()
      .then((report) => {
        this.reports.set(scope, { report, at: Date.now() });
        return report;
      })
      .finally(() => this.running.delete(scope));
    this.running.set(scope, started);
    return started;
  }
}
