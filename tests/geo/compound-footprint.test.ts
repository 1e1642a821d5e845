import { describe, expect, it } from 'vitest';
import { compoundFootprint } from '../../geo/compound-footprint.ts';
import { partitionPolygon } from '../../geo/partition.ts';
import { type MultiPolygon, polygonArea, type Polygon } from '../../geo/planar.ts';
import { createRng } from '../../geo/prng.ts';
import { randomPointsInPolygon } from '../../geo/random-points.ts';
import { boundaryDistance, fixture, outsideArea, overlapArea } from './helpers.ts';

describe('compoundFootprint', () => {
  it('is the wanted rectangle when the cell has room', () => {
    const cell: MultiPolygon = [
      [
        [
          [0, 0],
          [400, 0],
          [400, 400],
          [0, 400],
          [0, 0],
        ],
      ],
    ];
    const f = compoundFootprint(cell, {
      centre: [200, 200],
      width: 150,
      depth: 100,
      angle: 0.3,
      setback: 8,
    })!;
    expect(polygonArea(f)).toBeCloseTo(15000, 6);
  });

  it('leaves streets: footprints in neighbouring cells stay inside them and 2 × setback apart', () => {
    const district: MultiPolygon = fixture('concave-district.geojson').features[0].geometry
      .coordinates;
    const rng = createRng('footprints');
    const sites = randomPointsInPolygon(district, 60, rng, { minDistance: 60 });
    const cells = partitionPolygon(district, sites);
    const setback = 6;
    const footprints: { f: Polygon; cell: MultiPolygon }[] = [];
    sites.forEach((site, i) => {
      const f = compoundFootprint(cells[i], {
        centre: site,
        width: 120,
        depth: 80,
        angle: 0.2,
        setback,
        minArea: 50,
      });
      if (f) footprints.push({ f, cell: cells[i] });
    });
    expect(footprints.length).toBeGreaterThan(40);
    const outside = Math.max(...footprints.map(({ f, cell }) => outsideArea([f], cell)));
    expect(outside).toBeLessThan(1e-6);
    let overlap = 0;
    let gap = Infinity;
    for (let i = 0; i < footprints.length; i++) {
      for (let j = i + 1; j < footprints.length; j++) {
        overlap += overlapArea([footprints[i].f], [footprints[j].f]);
        gap = Math.min(gap, boundaryDistance(footprints[i].f, footprints[j].f));
      }
    }
    expect(overlap).toBe(0);
    expect(gap).toBeGreaterThanOrEqual(2 * setback - 1e-6);
  });

  it('gives up on a cell too small for a compound', () => {
    const sliver: MultiPolygon = [
      [
        [
          [0, 0],
          [200, 0],
          [200, 10],
          [0, 10],
          [0, 0],
        ],
      ],
    ];
    expect(
      compoundFootprint(sliver, { centre: [100, 5], width: 100, depth: 60, angle: 0, setback: 7 }),
    ).toBeNull();
  });
});
