import { describe, expect, it } from 'vitest';
import {
  cleanRing,
  isConvexRing,
  multiPolygonArea,
  type MultiPolygon,
  pointInMultiPolygon,
  ringInsidePolygon,
} from '../../geo/planar.ts';
import { fixture } from './helpers.ts';

const district: MultiPolygon = fixture('concave-district.geojson').features[0].geometry.coordinates;

describe('planar measures', () => {
  it('computes the area of a multipolygon with a hole and an island', () => {
    // U: 1000² − 400×700 notch − 100² hole; island 300².
    expect(multiPolygonArea(district)).toBeCloseTo(1_000_000 - 280_000 - 10_000 + 90_000, 6);
  });

  it('tells points inside from points in the notch, the hole and outside', () => {
    expect(pointInMultiPolygon([100, 500], district)).toBe(true);
    expect(pointInMultiPolygon([500, 500], district)).toBe(false); // notch
    expect(pointInMultiPolygon([500, 100], district)).toBe(false); // hole
    expect(pointInMultiPolygon([1300, 300], district)).toBe(true); // island
    expect(pointInMultiPolygon([1100, 300], district)).toBe(false);
  });

  it('knows convex rings from concave ones', () => {
    expect(
      isConvexRing([
        [0, 0],
        [1, 0],
        [1, 1],
        [0.5, 1],
        [0, 1],
        [0, 0],
      ]),
    ).toBe(true);
    expect(isConvexRing(district[0][0])).toBe(false);
  });

  it('finds a ring inside a polygon only when no edge crosses out', () => {
    const square = (x: number, y: number, s: number) =>
      [
        [x, y],
        [x + s, y],
        [x + s, y + s],
        [x, y + s],
        [x, y],
      ] as [number, number][];
    expect(ringInsidePolygon(square(50, 400, 100), district[0])).toBe(true);
    expect(ringInsidePolygon(square(250, 400, 100), district[0])).toBe(false); // spans the notch edge
    expect(ringInsidePolygon(square(420, 20, 200), district[0])).toBe(false); // around the hole
  });

  it('cleans duplicate positions and closes rings', () => {
    expect(
      cleanRing([
        [0, 0],
        [0, 0],
        [1, 0],
        [1, 1],
        [0, 0],
      ]),
    ).toEqual([
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 0],
    ]);
  });
});
