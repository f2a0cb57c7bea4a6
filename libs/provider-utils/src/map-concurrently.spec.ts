import { describe, expect, it } from 'vitest';
import { mapConcurrently } from './map-concurrently';

/** A task that answers after `delays[item]` milliseconds and records how many calls were in flight. */
function delayedTask(delays: Record<number, number>) {
  const seen = { started: [] as number[], inFlight: 0, mostInFlight: 0 };
  const task = async (item: number): Promise<string> => {
    seen.started.push(item);
    seen.inFlight++;
    seen.mostInFlight = Math.max(seen.mostInFlight, seen.inFlight);
    await new Promise((resolve) => setTimeout(resolve, delays[item] ?? 0));
    seen.inFlight--;
    if (item < 0) throw new Error(`failed ${item}`);
    return `r${item}`;
  };
  return { task, seen };
}

describe('mapConcurrently', () => {
  it.each<[string, number[], number, Record<number, number>, string[], number]>([
    ['nothing for no items', [], 4, {}, [], 0],
    ['results in input order although later calls answer first', [1, 2, 3], 3, { 1: 30, 2: 10, 3: 0 }, ['r1', 'r2', 'r3'], 3],
    ['no more calls in flight than the limit', [1, 2, 3, 4, 5], 2, { 1: 10, 2: 5, 3: 5, 4: 0, 5: 0 }, ['r1', 'r2', 'r3', 'r4', 'r5'], 2],
    ['one call at a time with a limit of one', [1, 2, 3], 1, {}, ['r1', 'r2', 'r3'], 1],
  ])('%s', async (_name, items, limit, delays, expected, mostInFlight) => {
    const { task, seen } = delayedTask(delays);
    await expect(mapConcurrently(items, limit, task)).resolves.toEqual(expected);
    expect(seen.mostInFlight).toBe(mostInFlight);
  });

  it('throws the first failure and starts no call after it', async () => {
    const { task, seen } = delayedTask({ 1: 20, [-2]: 0 });
    await expect(mapConcurrently([1, -2, 3, 4], 2, task)).rejects.toThrow('failed -2');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(seen.started).toEqual([1, -2]);
  });
});
