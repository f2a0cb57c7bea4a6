/** Whether one dependency answers: a probe returns true when it does. */
export type HealthProbe = () => boolean | Promise<boolean>;

export type ProbeStatus = 'connected' | 'disconnected';

export interface ReadinessReport {
  ready: boolean;
  draining: boolean;
  /** Each probe's answer, by name (`nats`, `db`, `cache`, ...). */
  checks: Record<string, ProbeStatus>;
}

const probeTimeoutMs = 1_000;

/**
 * A service's readiness: its dependency probes (each bounded to one second) and whether it is
 * draining. Readiness fails first when the process starts draining, so load balancers stop sending.
 */
export class ServiceHealth {
  private draining = false;

  constructor(private readonly probes: Readonly<Record<string, HealthProbe>>) {}

  get isDraining(): boolean {
    return this.draining;
  }

  startDraining(): void {
    this.draining = true;
  }

  async readiness(): Promise<ReadinessReport> {
    const entries = await Promise.all(Object.entries(this.probes).map(async ([name, probe]) => [name, (await answers(probe)) ? 'connected' : 'disconnected'] as const));
    const checks = Object.fromEntries(entries) as Record<string, ProbeStatus>;
    const ready = !this.draining && entries.every(([, status]) => status === 'connected');
    return { ready, draining: this.draining, checks };
  }
}

async function answers(probe: HealthProbe): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.resolve().then(probe),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), probeTimeoutMs);
      }),
    ]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
