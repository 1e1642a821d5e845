import { describe, expect, it } from 'vitest';
import { clipToConvex } from '../../geo/clip.ts';
import { rectangle } from '../../geo/convex.ts';
import { multiPolygonArea, type MultiPolygon } from '../../geo/planar.ts';
import { createRng } from '../../geo/prng.ts';
import { fixture, outsideArea, overlapArea } from './helpers.ts';

const district: MultiPolygon = fixture('concave-district.geojson').features[0].geometry.coordinates;

describe('clipToConvex', () => {
  it('agrees with general polygon clipping on a concave parent with a hole and an island', () => {
    const rng = createRng('clip');
    for (let i = 0; i < 80; i++) {
      const cell = rectangle(
        [rng.range(-100, 1600), rng.range(-100, 1100)],
        rng.range(50, 900),
        rng.range(50, 900),
        rng.range(0, Math.PI),
      );
      const got = clipToConvex(district, cell);
      const expected = overlapArea(district, [[cell]]);
      expect(multiPolygonArea(got)).toBeCloseTo(expected, 3);
      if (got.length > 0) expect(outsideArea(got, district)).toBeLessThan(1e-3);
    }
  });

  it('splits a cell that spans the notch into two pieces', () => {
    const got = clipToConvex(district, rectangle([500, 600], 800, 100, 0));
    expect(got).toHaveLength(2);
    expect(multiPolygonArea(got)).toBeCloseTo(2 * 200 * 100, 6);
  });
});
