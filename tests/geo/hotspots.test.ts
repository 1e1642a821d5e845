import { gridDisk, gridDistance } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { cellOf, neighbourhood } from '../../geo/h3cells.ts';
import {
  emergingClass,
  emergingHotspots,
  giStar,
  hotspots,
  spotClass,
  type SpotClass,
} from '../../geo/hotspots.ts';
import { createRng } from '../../geo/prng.ts';

/** Neighbour lists of a path 0 – 1 – … – (n−1). */
const path = (n: number): number[][] =>
  Array.from({ length: n }, (_, i) => [i - 1, i + 1].filter((j) => j >= 0 && j < n));

describe('giStar', () => {
  it('works one busy cell on a path of five by hand', () => {
    // x = [0, 0, 10, 0, 0], n = 5: X̄ = 10/5 = 2, Σx²/n = 100/5 = 20, S = √(20 − 4) = 4.
    // Centre (cell 2): N = {1, 2, 3}, W = 3, Σx = 10; numerator 10 − 2·3 = 4;
    //   denominator 4·√((5·3 − 3²)/4) = 4·√1.5 = 4.898979; z = 4/4.898979 = √(2/3) = 0.8164966.
    // End (cell 0): N = {0, 1}, W = 2, Σx = 0; numerator 0 − 2·2 = −4;
    //   denominator 4·√((5·2 − 2²)/4) = 4·√1.5; z = −√(2/3).
    // Cell 1: N = {0, 1, 2}, the same sums as the centre: z = +√(2/3).
    const z = giStar([0, 0, 10, 0, 0], path(5));
    const r = Math.sqrt(2 / 3);
    [-r, r, r, r, -r].forEach((e, i) => expect(z[i]).toBeCloseTo(e, 14));
  });

  it('works a gradient by hand, where neighbourhoods differ in size', () => {
    // x = [1, 2, 3, 4] on a path: X̄ = 2.5, Σx²/n = 30/4 = 7.5, S = √(7.5 − 6.25) = √1.25.
    // Cell 0: W = 2, Σx = 3: (3 − 5)/(√1.25·√((8 − 4)/3)) = −2/√(5/3) = −√(12/5) = −1.5491933
    // Cell 1: W = 3, Σx = 6: (6 − 7.5)/(√1.25·√((12 − 9)/3)) = −1.5/√1.25 = −3/√5 = −1.3416408
    // Cells 2 and 3 mirror them.
    const z = giStar([1, 2, 3, 4], path(4));
    const e = [-Math.sqrt(12 / 5), -3 / Math.sqrt(5), 3 / Math.sqrt(5), Math.sqrt(12 / 5)];
    e.forEach((v, i) => expect(z[i]).toBeCloseTo(v, 14));
  });

  it('ignores repeated neighbours and the cell itself in its list', () => {
    const messy = [
      [1, 1, 0],
      [0, 2, 2, 1],
      [1, 3, 3],
      [2, 2],
    ];
    expect(Array.from(giStar([1, 2, 3, 4], messy))).toEqual(
      Array.from(giStar([1, 2, 3, 4], path(4))),
    );
  });

  it('gives 0, not NaN, where no test is possible', () => {
    expect(Array.from(giStar([0, 0, 0, 0, 0], path(5)))).toEqual([0, 0, 0, 0, 0]);
    expect(Array.from(giStar([0.1, 0.1, 0.1], path(3)))).toEqual([0, 0, 0]); // mean 0.0999…
    expect(Array.from(giStar([7], [[]]))).toEqual([0]);
    expect(giStar([], []).length).toBe(0);
    // Every cell sees every other: the neighbourhood is the whole area, nothing to compare with.
    const z = giStar(
      [1, 5, 9],
      [
        [1, 2],
        [0, 2],
        [0, 1],
      ],
    );
    expect(Array.from(z)).toEqual([0, 0, 0]);
  });

  it('refuses mismatched or out-of-range neighbour lists and non-finite values', () => {
    expect(() => giStar([1, 2, 3], path(2))).toThrow(RangeError);
    expect(() => giStar([1, 2], [[1], [5]])).toThrow(RangeError);
    expect(() => giStar([1, NaN], path(2))).toThrow(RangeError);
  });
});

describe('spotClass', () => {
  it('reads the level from q and the side from the sign of z', () => {
    expect(spotClass(3, 0.01)).toBe('hot99');
    expect(spotClass(3, 0.010001)).toBe('hot95');
    expect(spotClass(2, 0.05)).toBe('hot95');
    expect(spotClass(2, 0.1)).toBe('hot90');
    expect(spotClass(2, 0.100001)).toBe('none');
    expect(spotClass(-4, 0.001)).toBe('cold99');
    expect(spotClass(-2, 0.03)).toBe('cold95');
    expect(spotClass(-2, 0.07)).toBe('cold90');
    expect(spotClass(0, 0.01)).toBe('none');
  });
});

/** 331 res-8 cells around central Lanzhou, with a hot cluster, a cold patch and a lone high cell. */
function lanzhouField() {
  const centre = cellOf([103.83, 36.06], 8);
  const cells = gridDisk(centre, 10);
  const ring5 = cells.filter((c) => gridDistance(centre, c) === 5);
  const [hot, cold, lone] = [ring5[0], ring5[15], ring5[8]];
  return { cells, hot, cold, lone, neighbours: neighbourhood(cells, 1) };
}

describe('hotspots', () => {
  it('finds a cluster, a cold patch, and leaves a lone high cell and the background alone', () => {
    const { cells, hot, cold, lone, neighbours } = lanzhouField();
    const rng = createRng('hotspots');
    const values = cells.map((c) => {
      if (gridDistance(hot, c) <= 1) return 30; // the cluster: 7 cells at 3× the usual
      if (gridDistance(cold, c) <= 2) return 0; // the cold patch: 19 empty cells
      if (c === lone) return 25; // one busy cell among ordinary neighbours
      return rng.int(8, 13); // the background, 8–12
    });
    const r = hotspots(values, neighbours);
    const at = (c: string) => cells.indexOf(c);
    expect(r.cls[at(hot)]).toBe('hot99');
    expect(r.cls[at(cold)]).toBe('cold99');
    expect(r.cls[at(lone)]).toBe('none');
    // Nothing is significant far from the two patterns: the FDR correction keeps the noise quiet.
    cells.forEach((c, i) => {
      if (gridDistance(hot, c) > 2 && gridDistance(cold, c) > 3) expect(r.cls[i]).toBe('none');
    });
    // The whole cluster is hot, the whole patch cold.
    cells.forEach((c, i) => {
      if (gridDistance(hot, c) <= 1) expect(r.cls[i]).toMatch(/^hot/);
      if (gridDistance(cold, c) <= 1) expect(r.cls[i]).toMatch(/^cold/);
    });
    // q is never below p, and p is the two-sided p of z.
    r.q.forEach((q, i) => expect(q).toBeGreaterThanOrEqual(r.p[i]));
    expect(r.p[at(lone)]).toBeGreaterThan(0.05);
  });

  it('classes nothing when every value is the same', () => {
    const { cells, neighbours } = lanzhouField();
    const r = hotspots(
      cells.map(() => 0),
      neighbours,
    );
    expect(r.cls.every((c) => c === 'none')).toBe(true);
    expect(Array.from(r.p).every((p) => p === 1)).toBe(true);
  });
});

/** A class series from a string: H = hot (95 %), C = cold (95 %), . = not significant. */
const classes = (s: string): SpotClass[] =>
  [...s].map((ch) => (ch === 'H' ? 'hot95' : ch === 'C' ? 'cold95' : 'none'));

/** z-scores to go with `classes`: ±2.5 for H/C, 0.3 otherwise, plus a drift per slice. */
const zFor = (s: string, drift = 0): number[] =>
  [...s].map((ch, t) => (ch === 'H' ? 2.5 : ch === 'C' ? -2.5 : 0.3) + drift * t);

describe('emergingClass', () => {
  const cases: [string, number[], SpotClass[], string][] = [
    // hot
    ['new: hot only in the final slice', zFor('....H'), classes('....H'), 'new_hot'],
    ['consecutive: a final run of two', zFor('.....HH'), classes('.....HH'), 'consecutive_hot'],
    // 10 hot slices with z rising steadily: Mann–Kendall S = 45, p = 8.3e-5
    ['intensifying', zFor('HHHHHHHHHH', 0.3), classes('HHHHHHHHHH'), 'intensifying_hot'],
    // z alternating 2.5, 3: each 2.5 (slices 0, 2, …, 8) has 5, 4, 3, 2, 1 larger values after it
    // (+15), each 3 has 4, 3, 2, 1, 0 smaller ones (−10): S = 5; Var = (10·9·25 − 2·5·4·15)/18 =
    // 91.67; z = 4/√91.67 = 0.418, p ≈ 0.68: no trend.
    [
      'persistent',
      [2.5, 3, 2.5, 3, 2.5, 3, 2.5, 3, 2.5, 3],
      classes('HHHHHHHHHH'),
      'persistent_hot',
    ],
    ['diminishing', zFor('HHHHHHHHHH', -0.1), classes('HHHHHHHHHH'), 'diminishing_hot'],
    ['sporadic: on and off, never cold', zFor('H.H.H'), classes('H.H.H'), 'sporadic_hot'],
    ['oscillating: cold before', zFor('.C.H.H'), classes('.C.H.H'), 'oscillating_hot'],
    [
      'historical: 9 of 10 hot, not now',
      zFor('HHHHHHHHH.'),
      classes('HHHHHHHHH.'),
      'historical_hot',
    ],
    // cold
    ['new cold', zFor('....C'), classes('....C'), 'new_cold'],
    ['consecutive cold', zFor('..CCC'), classes('..CCC'), 'consecutive_cold'],
    ['intensifying cold', zFor('CCCCCCCCCC', -0.3), classes('CCCCCCCCCC'), 'intensifying_cold'],
    [
      'persistent cold',
      [-2.5, -3, -2.5, -3, -2.5, -3, -2.5, -3, -2.5, -3],
      classes('CCCCCCCCCC'),
      'persistent_cold',
    ],
    ['diminishing cold', zFor('CCCCCCCCCC', 0.1), classes('CCCCCCCCCC'), 'diminishing_cold'],
    ['sporadic cold', zFor('C..CC.C'), classes('C..CC.C'), 'sporadic_cold'],
    ['oscillating cold', zFor('H.CC.C'), classes('H.CC.C'), 'oscillating_cold'],
    [
      'historical cold',
      zFor('.CCCCCCCCCCCCCCCCCCC.'),
      classes('.CCCCCCCCCCCCCCCCCCC.'),
      'historical_cold',
    ],
    // none
    ['nothing significant', zFor('......'), classes('......'), 'none'],
    ['hot long ago, under 90 %', zFor('HH....'), classes('HH....'), 'none'],
    ['no slices', [], [], 'none'],
  ];
  it.each(cases)('%s', (_name, z, cls, expected) => {
    expect(emergingClass(z, cls)).toBe(expected);
  });

  it('counts 90 % as 9 of 10, and cannot call anything historical with fewer than 10 slices', () => {
    // 9 of 10 hot including the last, no trend → persistent; 8 of 10 → sporadic.
    const nine = [2.5, 3, 2.5, 0.3, 3, 2.5, 3, 2.5, 3, 2.5];
    expect(emergingClass(nine, classes('HHH.HHHHHH'))).toBe('persistent_hot');
    expect(emergingClass(zFor('HH..HHHHHH'), classes('HH..HHHHHH'))).toBe('sporadic_hot');
    // 4 of 5 hot but not the last: 80 % < 90 %.
    expect(emergingClass(zFor('HHHH.'), classes('HHHH.'))).toBe('none');
  });

  it('takes the trend from the z-scores, not from the classes', () => {
    const all = classes('HHHHHHHHHH');
    expect(emergingClass(zFor('HHHHHHHHHH', 0.3), all)).toBe('intensifying_hot');
    expect(emergingClass(zFor('HHHHHHHHHH', -0.3), all)).toBe('diminishing_hot');
  });

  it('resolves the overlaps as documented: new and consecutive before oscillating, hot before cold', () => {
    expect(emergingClass(zFor('CC..H'), classes('CC..H'))).toBe('new_hot');
    expect(emergingClass(zFor('C..HH'), classes('C..HH'))).toBe('consecutive_hot');
    // A single slice, hot: new (it is also 100 % hot, but new comes first).
    expect(emergingClass([3], classes('H'))).toBe('new_hot');
    // 9 of 10 hot then cold: historical hot, although the final slice alone would be a new cold spot.
    expect(emergingClass(zFor('HHHHHHHHHC'), classes('HHHHHHHHHC'))).toBe('historical_hot');
  });

  it('refuses series of different lengths', () => {
    expect(() => emergingClass([1, 2], classes('H'))).toThrow(RangeError);
  });
});

describe('emergingHotspots', () => {
  it('classifies a space-time cube and reports the trend of the counts', () => {
    const { cells, hot, cold, lone, neighbours } = lanzhouField();
    const fresh = cells.find((c) => gridDistance(hot, c) === 8 && gridDistance(cold, c) >= 8)!;
    const rng = createRng('emerging');
    const slices = 12;
    // Monthly counts: the hot cluster and the cold patch every month, a new cluster only in the
    // last month, and one ordinary cell whose count climbs by one a month without ever standing out.
    const series = Array.from({ length: slices }, (_, t) =>
      cells.map((c) => {
        if (gridDistance(hot, c) <= 1) return 30;
        if (gridDistance(cold, c) <= 2) return 0;
        if (t === slices - 1 && gridDistance(fresh, c) <= 1) return 30;
        if (c === lone) return 8 + t;
        return rng.int(8, 13);
      }),
    );
    const r = emergingHotspots(series, neighbours);
    const at = (c: string) => cells.indexOf(c);
    expect(r.cls[at(hot)]).toBe('persistent_hot');
    expect(r.cls[at(cold)]).toBe('persistent_cold');
    expect(r.cls[at(fresh)]).toBe('new_hot');
    expect(r.cls[at(lone)]).toBe('none');
    // The lone cell's counts rise every month: Mann–Kendall S = 66, Var = 12·11·29/18 = 212.67,
    // z = 65/√212.67 = 4.457.
    expect(r.trendZ[at(lone)]).toBeCloseTo(65 / Math.sqrt((12 * 11 * 29) / 18), 12);
    expect(r.trendP[at(lone)]).toBeLessThan(1e-5);
    // The cluster's counts never change: no trend at all.
    expect(r.trendZ[at(hot)]).toBe(0);
    expect(r.trendP[at(hot)]).toBe(1);
  });

  it('refuses a slice with the wrong number of cells', () => {
    expect(() =>
      emergingHotspots(
        [
          [1, 2, 3],
          [1, 2],
        ],
        path(3),
      ),
    ).toThrow(RangeError);
  });
});
