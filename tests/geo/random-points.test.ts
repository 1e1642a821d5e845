import { describe, expect, it } from 'vitest';
import { type MultiPolygon, pointInMultiPolygon } from '../../geo/planar.ts';
import { createRng } from '../../geo/prng.ts';
import { randomPointsInPolygon } from '../../geo/random-points.ts';
import { urbanDensity } from '../../geo/urban-density.ts';
import { dist, fixture } from './helpers.ts';

const district: MultiPolygon = fixture('concave-district.geojson').features[0].geometry.coordinates;

describe('randomPointsInPolygon', () => {
  it('places exactly n points inside, apart, and the same ones for the same seed', () => {
    const a = randomPointsInPolygon(district, 300, createRng(5), { minDistance: 20 });
    const b = randomPointsInPolygon(district, 300, createRng(5), { minDistance: 20 });
    expect(a).toHaveLength(300);
    expect(a).toEqual(b);
    expect(a.every((p) => pointInMultiPolygon(p, district))).toBe(true);
    let closest = Infinity;
    for (let i = 0; i < a.length; i++)
      for (let j = i + 1; j < a.length; j++) closest = Math.min(closest, dist(a[i], a[j]));
    expect(closest).toBeGreaterThanOrEqual(20);
  });

  it('crowds points toward an urban centre', () => {
    const density = urbanDensity([{ at: [150, 150], sigma: 200, weight: 1 }], 0.02);
    const pts = randomPointsInPolygon(district, 400, createRng(6), { density });
    const near = pts.filter((p) => dist(p, [150, 150]) < 300).length;
    const far = pts.filter((p) => dist(p, [850, 850]) < 300).length;
    expect(near).toBeGreaterThan(5 * Math.max(1, far));
  });

  it('relaxes the spacing rather than loop when the points cannot fit', () => {
    const small: MultiPolygon = [
      [
        [
          [0, 0],
          [10, 0],
          [10, 10],
          [0, 10],
          [0, 0],
        ],
      ],
    ];
    expect(randomPointsInPolygon(small, 50, createRng(1), { minDistance: 5 })).toHaveLength(50);
  });
});
