import { describe, expect, it } from 'vitest';
import { HealthReportCache } from './health-report-cache';

describe('HealthReportCache', () => {
  it('probes a scope once per interval and shares a probe under way', async () => {
    const cache = new HealthReportCache<number>(60_000);
    let probes = 0;
    const probe = async () => ++probes;
    const [first, concurrent] = await Promise.all([cache.get('*', probe), cache.get('*', probe)]);
    expect([first, concurrent, probes]).toEqual([1, 1, 1]);
    expect(await cache.get('*', probe)).toBe(1);
    expect(await cache.get('model-a', probe)).toBe(2);
    expect(await cache.get('*', probe, Date.now() + 60_001)).toBe(3);
  });

  it('probes every time with an interval of 0', async () => {
    const cache = new HealthReportCache<number>(0);
    let probes = 0;
    await cache.get('*', async () => ++probes);
    await cache.get('*', async () => ++probes);
    expect(probes).toBe(2);
  });
});
