import { cellToLatLng, getPentagons, getResolution, gridDisk, gridDistance } from 'h3-js';
import { describe, expect, it } from 'vitest';
import {
  bigintToH3,
  cellBoundary,
  cellOf,
  H3_RESOLUTIONS,
  h3ToBigint,
  neighbourhood,
} from '../../geo/h3cells.ts';

// Central Lanzhou, [lon, lat].
const LANZHOU: [number, number] = [103.83, 36.06];

/** The cells exactly r rings from origin. */
const ringOf = (origin: string, r: number): string[] =>
  gridDisk(origin, r).filter((c) => gridDistance(origin, c) === r);

describe('h3ToBigint / bigintToH3', () => {
  it('converts an index both ways', () => {
    // 0x8824d2a9c1fffff = 613137344679116799
    expect(h3ToBigint('8824d2a9c1fffff')).toBe(613137344679116799n);
    expect(bigintToH3(613137344679116799n)).toBe('8824d2a9c1fffff');
    expect(h3ToBigint('8824D2A9C1FFFFF')).toBe(613137344679116799n);
  });

  it('round-trips cells at every planner resolution, each fitting a signed int8', () => {
    for (const res of H3_RESOLUTIONS) {
      const cell = cellOf(LANZHOU, res);
      const b = h3ToBigint(cell);
      expect(bigintToH3(b)).toBe(cell);
      expect(b > 0n && b < 2n ** 63n).toBe(true);
    }
  });

  it('refuses what is not a 64-bit index', () => {
    expect(() => h3ToBigint('')).toThrow(RangeError);
    expect(() => h3ToBigint('0x8824d2a9c1fffff')).toThrow(RangeError);
    expect(() => h3ToBigint('8824d2a9c1fffffff')).toThrow(RangeError); // 17 digits
    expect(() => bigintToH3(-1n)).toThrow(RangeError);
    expect(() => bigintToH3(2n ** 64n)).toThrow(RangeError);
  });
});

describe('cellOf', () => {
  it('takes [lon, lat] and finds the cell holding the position', () => {
    const cell = cellOf(LANZHOU, 8);
    expect(cell).toBe('8824d2a9c1fffff');
    expect(getResolution(cell)).toBe(8);
    const [lat, lon] = cellToLatLng(cell);
    // A res-8 hexagon (~0.74 km²) has its centre within ~0.5 km (~0.006°) of any point in it.
    expect(Math.abs(lat - LANZHOU[1])).toBeLessThan(0.006);
    expect(Math.abs(lon - LANZHOU[0])).toBeLessThan(0.006);
    expect(getResolution(cellOf(LANZHOU, 9))).toBe(9);
  });
});

describe('neighbourhood', () => {
  const centre = cellOf(LANZHOU, 9);
  // The study area: every cell within 5 rings (1 + 3·5·6 = 91), listed in an order unrelated to
  // the grid (sorted by the reversed index string).
  const reversed = (c: string) => [...c].reverse().join('');
  const cells = gridDisk(centre, 5).sort((a, b) => reversed(a).localeCompare(reversed(b)));
  const at = (c: string) => cells.indexOf(c);

  it('gives interior cells 6 neighbours at k = 1 and 18 at k = 2, all truly near', () => {
    expect(cells).toHaveLength(91);
    const k1 = neighbourhood(cells, 1);
    const k2 = neighbourhood(cells, 2);
    cells.forEach((c, i) => {
      const d = gridDistance(centre, c);
      if (d <= 4) expect(k1[i]).toHaveLength(6);
      if (d <= 3) expect(k2[i]).toHaveLength(18);
      for (const j of k1[i]) expect(gridDistance(c, cells[j])).toBe(1);
      for (const j of k2[i]) expect([1, 2]).toContain(gridDistance(c, cells[j]));
    });
    expect(k1[at(centre)].sort()).toEqual(ringOf(centre, 1).map(at).sort());
  });

  it('leaves out cells outside the study area, so edge cells have fewer neighbours', () => {
    const k1 = neighbourhood(cells, 1);
    // On the outer ring (30 cells), a corner touches 3 cells of the area (2 on its ring, 1 inside)
    // and a side cell 4 (2 on its ring, 2 inside); a hexagonal ring of radius 5 has 6 corners.
    const outer = ringOf(centre, 5)
      .map((c) => k1[at(c)].length)
      .sort();
    expect(outer).toEqual([...Array<number>(6).fill(3), ...Array<number>(24).fill(4)]);
  });

  it('is symmetric', () => {
    for (const k of [1, 2, 3]) {
      const nb = neighbourhood(cells, k);
      nb.forEach((list, i) => {
        for (const j of list) expect(nb[j]).toContain(i);
      });
    }
  });

  it('gives nothing at k = 0 and refuses a bad k or a repeated cell', () => {
    expect(neighbourhood(cells, 0).every((l) => l.length === 0)).toBe(true);
    expect(neighbourhood([], 1)).toEqual([]);
    expect(() => neighbourhood(cells, -1)).toThrow(RangeError);
    expect(() => neighbourhood(cells, 1.5)).toThrow(RangeError);
    expect(() => neighbourhood([centre, centre], 1)).toThrow(RangeError);
  });

  it('copes with a pentagon, which has 5 neighbours', () => {
    const pentagon = getPentagons(8)[0];
    const area = gridDisk(pentagon, 2);
    expect(neighbourhood(area, 1)[area.indexOf(pentagon)]).toHaveLength(5);
    expect(neighbourhood(area, 2)[area.indexOf(pentagon)]).toHaveLength(area.length - 1);
  });
});

describe('cellBoundary', () => {
  it('is a closed ring of [lon, lat] around the cell', () => {
    const ring = cellBoundary(cellOf(LANZHOU, 8));
    expect(ring).toHaveLength(7); // 6 corners and the first again
    expect(ring[6]).toEqual(ring[0]);
    for (const [lon, lat] of ring) {
      // longitude first: Lanzhou is at ~103.8° E, 36.1° N
      expect(Math.abs(lon - LANZHOU[0])).toBeLessThan(0.01);
      expect(Math.abs(lat - LANZHOU[1])).toBeLessThan(0.01);
    }
  });
});
