import { describe, expect, it } from 'vitest';
import { kAnonymize, type KNode } from '../../geo/k-anonymity.ts';
import { formatHours, hoursProblem, isOpenAt } from '../../geo/opening-hours.ts';

/** A city → compound → buildings tree with `counts` cases in buildings b1, b2, … */
function compound(counts: number[], own = 0): KNode[] {
  return [
    { id: 'city', parent: null, own: 0 },
    { id: 'c', parent: 'city', own },
    ...counts.map((n, i) => ({ id: `b${i + 1}`, parent: 'c', own: n })),
  ];
}

/** Every published number is 0 or at least k. */
function published(r: ReturnType<typeof kAnonymize>) {
  return [...r.values()].flatMap((v) => [v.count, v.rest]).filter((x): x is number => x !== null);
}

describe('k-anonymity (k = 5)', () => {
  it('hides a building with 4 cases and merges them into the compound', () => {
    const r = kAnonymize(compound([4]));
    expect(r.get('b1')).toEqual({ total: 4, count: null, rest: null });
    // The compound alone holds 4: under k as well, so it is merged into the city, which is too.
    expect(r.get('c')!.count).toBeNull();
    expect(r.get('city')!.count).toBeNull();
  });

  it('shows a building with 5 cases and one with 6', () => {
    const r = kAnonymize(compound([5, 6]));
    expect(r.get('b1')!.count).toBe(5);
    expect(r.get('b2')!.count).toBe(6);
    expect(r.get('c')).toEqual({ total: 11, count: 11, rest: 0 });
  });

  it('4 beside 5 and 6: the 4 cannot be got by subtraction (the 5 is hidden with it)', () => {
    const r = kAnonymize(compound([4, 5, 6]));
    expect(r.get('b1')!.count).toBeNull();
    expect(r.get('b2')!.count).toBeNull();
    expect(r.get('b3')!.count).toBe(6);
    expect(r.get('c')).toEqual({ total: 15, count: 15, rest: 9 });
    // count − shown children = rest, a number ≥ k that mixes two hidden buildings.
    expect(15 - 6).toBe(r.get('c')!.rest);
  });

  it('merging still leaves the parent under k: it passes up to the next level', () => {
    // Two buildings of 2 in a compound of 4; a second compound with 6 in one building.
    const r = kAnonymize([
      { id: 'grid', parent: null, own: 0 },
      { id: 'c1', parent: 'grid', own: 0 },
      { id: 'b1', parent: 'c1', own: 2 },
      { id: 'b2', parent: 'c1', own: 2 },
      { id: 'c2', parent: 'grid', own: 0 },
      { id: 'b3', parent: 'c2', own: 6 },
    ]);
    expect(r.get('c1')!.count).toBeNull();
    // c2 alone would leave the grid's rest at 4: it is hidden too, the grid shows 10 as rest.
    expect(r.get('c2')!.count).toBeNull();
    expect(r.get('b3')!.count).toBeNull();
    expect(r.get('grid')).toEqual({ total: 10, count: 10, rest: 10 });
  });

  it('cases placed at the compound itself (no building) count in its rest', () => {
    const r = kAnonymize(compound([6, 7], 3));
    expect(r.get('b1')!.count).toBeNull();
    expect(r.get('b2')!.count).toBe(7);
    expect(r.get('c')).toEqual({ total: 16, count: 16, rest: 9 });
  });

  it('publishes only 0 or numbers ≥ k on random trees', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let t = 0; t < 200; t++) {
      const nodes: KNode[] = [{ id: 'r', parent: null, own: 0 }];
      for (let i = 0; i < 30; i++) {
        const parent = nodes[Math.floor(rnd() * nodes.length)]!.id;
        nodes.push({ id: `n${i}`, parent, own: Math.floor(rnd() * 8) });
      }
      const r = kAnonymize(nodes);
      for (const x of published(r)) expect(x === 0 || x >= 5).toBe(true);
      // Under every shown node: count = Σ shown children + rest (nothing else to subtract).
      for (const n of nodes) {
        const v = r.get(n.id)!;
        if (v.count === null) continue;
        const kids = nodes.filter((m) => m.parent === n.id).map((m) => r.get(m.id)!.count ?? 0);
        expect(kids.reduce((a, b) => a + b, 0) + v.rest!).toBe(v.count);
      }
    }
  });
});

describe('opening hours', () => {
  const hours = [
    { days: [1, 2, 3, 4, 5], open: '08:30', close: '17:30' },
    { days: [6], open: '09:00', close: '12:00' },
  ];
  it('is open on a weekday morning and closed at night and on Sunday (Beijing time)', () => {
    expect(isOpenAt(hours, new Date('2026-11-30T02:00:00Z'))).toBe(true); // Mon 10:00
    expect(isOpenAt(hours, new Date('2026-11-30T10:00:00Z'))).toBe(false); // Mon 18:00
    expect(isOpenAt(hours, new Date('2026-11-29T02:00:00Z'))).toBe(false); // Sun 10:00
    expect(isOpenAt(hours, new Date('2026-11-28T03:59:00Z'))).toBe(true); // Sat 11:59
  });
  it('is open round the clock with 00:00–24:00', () => {
    const always = [{ days: [1, 2, 3, 4, 5, 6, 7], open: '00:00', close: '24:00' }];
    expect(isOpenAt(always, new Date('2026-11-29T15:59:00Z'))).toBe(true);
  });
  it('names the malformed span', () => {
    expect(hoursProblem(hours)).toBeNull();
    expect(hoursProblem([{ days: [8], open: '08:00', close: '09:00' }])).toMatch(/span 1: days/);
    expect(hoursProblem([...hours, { days: [7], open: '18:00', close: '09:00' }])).toMatch(
      /span 3: must open/,
    );
    expect(hoursProblem([{ days: [1], open: '8:00', close: '09:00' }])).toMatch(/HH:MM/);
  });
  it('formats spans in Chinese and English', () => {
    expect(formatHours(hours, 'zh')).toEqual(['周一至周五 08:30–17:30', '周六 09:00–12:00']);
    expect(formatHours(hours, 'en')).toEqual(['Mon–Fri 08:30–17:30', 'Sat 09:00–12:00']);
  });
});
