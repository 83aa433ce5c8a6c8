import { describe, expect, it } from 'vitest';
import { mapLimit } from '#app/map-limit.ts';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('mapLimit', () => {
  it('returns results in input order even when later items finish first', async () => {
    // Prepare: item i takes (5 - i) ticks.
    const work = async (n: number) => {
      for (let t = 0; t < 5 - n; t++) await tick();
      return n * 10;
    };

    // Act
    const results = await mapLimit([0, 1, 2, 3, 4], 3, work);

    // Assess
    expect(results).toEqual([0, 10, 20, 30, 40]);
  });

  it('never has more than `limit` items in flight, and does use all of them', async () => {
    let inFlight = 0;
    let peak = 0;
    await mapLimit(
      Array.from({ length: 20 }, (_, i) => i),
      4,
      async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await tick();
        await tick();
        inFlight--;
      },
    );
    expect(peak).toBe(4);
  });

  it('hands each item its index and runs each item exactly once', async () => {
    const seen: [string, number][] = [];
    await mapLimit(['a', 'b', 'c'], 2, async (item, index) => {
      seen.push([item, index]);
    });
    expect(seen.sort()).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 2],
    ]);
  });

  it('answers an empty list with an empty list', async () => {
    expect(await mapLimit([], 8, async () => 1)).toEqual([]);
  });

  it('rejects with the first error and starts no item after it', async () => {
    const started: number[] = [];
    const run = mapLimit([0, 1, 2, 3, 4, 5], 1, async (n) => {
      started.push(n);
      if (n === 1) throw new Error('throttled');
      return n;
    });
    await expect(run).rejects.toThrow('throttled');
    await tick();
    expect(started).toEqual([0, 1]);
  });
});
