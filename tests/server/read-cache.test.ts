import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReadCache, type CacheChange } from '../../server/services/read-cache.ts';

const areaIds = { district: 1, subdistrict: 10, community: 100, grid: 1000, compound: 10000 };
const ticketAt = (position: [number, number] | null, ids = areaIds): CacheChange => ({
  kind: 'ticket',
  areaIds: ids,
  position,
});

/** A loader that counts its calls and answers with the count. */
function counter() {
  let n = 0;
  const load = () => Promise.resolve(++n);
  return {
    load,
    get calls() {
      return n;
    },
  };
}

describe('read cache invalidation', () => {
  it('drops what a write can change: its noun, its areas and the city, boxes around it', async () => {
    const cache = new ReadCache(60_000);
    const loads = Object.fromEntries(
      ['city', 'community', 'otherCommunity', 'hazards', 'boxIn', 'boxOut'].map((k) => [
        k,
        counter(),
      ]),
    );
    const read = () =>
      Promise.all([
        cache.get('city', loads.city!.load, { nouns: ['tickets', 'hazards'] }),
        cache.get('community', loads.community!.load, { nouns: ['tickets'], area: 100 }),
        cache.get('otherCommunity', loads.otherCommunity!.load, { nouns: ['tickets'], area: 101 }),
        cache.get('hazards', loads.hazards!.load, { nouns: ['hazards'], area: 100 }),
        cache.get('boxIn', loads.boxIn!.load, { nouns: ['tickets'], bbox: [103, 36, 104, 37] }),
        cache.get('boxOut', loads.boxOut!.load, { nouns: ['tickets'], bbox: [105, 36, 106, 37] }),
      ]);
    await read();
    expect(cache.invalidate(ticketAt([103.5, 36.5]))).toBe(3);
    await read();
    expect(Object.fromEntries(Object.entries(loads).map(([k, v]) => [k, v.calls]))).toEqual({
      city: 2,
      community: 2,
      otherCommunity: 1,
      hazards: 1,
      boxIn: 2,
      boxOut: 1,
    });
  });

  it('treats an untagged read as depending on everything', async () => {
    const cache = new ReadCache(60_000);
    const c = counter();
    await cache.get('health', c.load);
    cache.invalidate({ kind: 'patrol', areaIds, position: null });
    await cache.get('health', c.load);
    expect(c.calls).toBe(2);
  });

  it('never answers a read after a write with a load begun before it, and loads once for many', async () => {
    const cache = new ReadCache(60_000);
    let calls = 0;
    const releases: (() => void)[] = [];
    const slow = () =>
      new Promise<number>((resolve) => {
        const n = ++calls;
        releases.push(() => resolve(n));
      });
    const first = cache.get('kpi', slow, { nouns: ['tickets'] });
    // A write commits while the first load runs: reads from now on must not get its answer.
    cache.invalidate(ticketAt(null));
    const later = [1, 2, 3].map(() => cache.get('kpi', slow, { nouns: ['tickets'] }));
    expect(calls).toBe(1); // the follow-up waits for the running load instead of piling on
    releases.shift()!();
    expect(await first).toBe(1);
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toBe(2);
    releases.shift()!();
    expect(await Promise.all(later)).toEqual([2, 2, 2]);
    // And now it is cached.
    expect(await cache.get('kpi', slow, { nouns: ['tickets'] })).toBe(2);
    expect(calls).toBe(2);
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('serves an aggregate as it was for ten times its cost after a write, then refreshes it behind the scenes', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const t0 = Date.now();
    const cache = new ReadCache(60_000);
    let calls = 0;
    let finish = () => {};
    const load = () =>
      new Promise<number>((resolve) => {
        const n = ++calls;
        finish = () => resolve(n);
      });
    const tags = { nouns: ['tickets'], aggregate: true } as const;
    const first = cache.get('city', load, tags);
    vi.setSystemTime(t0 + 100); // it costs 100 ms
    finish();
    expect(await first).toBe(1);
    cache.invalidate(ticketAt(null));
    vi.setSystemTime(t0 + 500);
    expect(await cache.get('city', load, tags)).toBe(1);
    expect(calls).toBe(1);
    // A second after its load began (ten times its cost) it is due: one refresh, the old answer meanwhile.
    vi.setSystemTime(t0 + 1000);
    expect(await cache.get('city', load, tags)).toBe(1);
    expect(await cache.get('city', load, tags)).toBe(1);
    expect(calls).toBe(2);
    finish();
    await new Promise((r) => setTimeout(r, 0));
    expect(await cache.get('city', load, tags)).toBe(2);
    expect(calls).toBe(2);
  });
});
