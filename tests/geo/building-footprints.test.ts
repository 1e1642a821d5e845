import { describe, expect, it } from 'vitest';
import { buildingFootprints } from '../../geo/building-footprints.ts';
import { type Polygon, polygonArea, ringInsidePolygon } from '../../geo/planar.ts';
import { overlapArea } from './helpers.ts';

describe('buildingFootprints', () => {
  const site: Polygon = [
    [
      [0, 0],
      [200, 0],
      [200, 120],
      [0, 120],
      [0, 0],
    ],
  ];
  const layout = { length: 60, depth: 12, angle: 0, gapAlong: 10, gapAcross: 20 };

  it('lays out slabs of the asked size inside the compound, not touching each other', () => {
    const rects = buildingFootprints(site, 6, layout);
    expect(rects).toHaveLength(6);
    for (const r of rects) {
      expect(polygonArea([r])).toBeCloseTo(720, 6);
      expect(ringInsidePolygon(r, site)).toBe(true);
    }
    for (let i = 0; i < rects.length; i++) {
      for (let j = i + 1; j < rects.length; j++)
        expect(overlapArea([[rects[i]]], [[rects[j]]])).toBe(0);
    }
  });

  it('returns only what fits, along the compound orientation', () => {
    // 2 m from the fence: two 60 m slabs (and a 10 m gap) across 196 m, four rows in 116 m.
    expect(buildingFootprints(site, 100, layout).length).toBe(2 * 4);
    const turned: Polygon = [
      site[0].map(([x, y]) => [
        x * Math.cos(0.5) - y * Math.sin(0.5),
        x * Math.sin(0.5) + y * Math.cos(0.5),
      ]),
    ];
    const rects = buildingFootprints(turned, 100, { ...layout, angle: 0.5 });
    expect(rects.length).toBe(8);
    for (const r of rects) expect(ringInsidePolygon(r, turned)).toBe(true);
  });

  it('returns nothing for a compound smaller than one building', () => {
    expect(
      buildingFootprints(
        [
          [
            [0, 0],
            [30, 0],
            [30, 30],
            [0, 30],
            [0, 0],
          ],
        ],
        3,
        layout,
      ),
    ).toEqual([]);
  });
});
