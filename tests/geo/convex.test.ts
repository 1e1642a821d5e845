import { describe, expect, it } from 'vitest';
import { clipConvex, insetConvex, rectangle } from '../../geo/convex.ts';
import { polygonArea, type Ring } from '../../geo/planar.ts';

const square = (x0: number, y0: number, s: number): Ring => [
  [x0, y0],
  [x0 + s, y0],
  [x0 + s, y0 + s],
  [x0, y0 + s],
  [x0, y0],
];

describe('convex rings', () => {
  it('intersects two convex rings exactly', () => {
    const r = clipConvex(square(0, 0, 10), square(5, 5, 10))!;
    expect(polygonArea([r])).toBeCloseTo(25, 9);
    expect(clipConvex(square(0, 0, 10), square(20, 20, 5))).toBeNull();
  });

  it('insets every side by the distance, or to nothing', () => {
    const r = insetConvex(square(0, 0, 10), 2)!;
    expect(polygonArea([r])).toBeCloseTo(36, 9);
    const xs = r.map((p) => p[0]);
    expect(Math.min(...xs)).toBeCloseTo(2, 9);
    expect(Math.max(...xs)).toBeCloseTo(8, 9);
    expect(insetConvex(square(0, 0, 10), 5.5)).toBeNull();
    // A triangle's inset is a smaller triangle whose sides are 1 from the original ones.
    const tri: Ring = [
      [0, 0],
      [10, 0],
      [0, 10],
      [0, 0],
    ];
    const t = insetConvex(tri, 1)!;
    expect(t.length - 1).toBe(3);
    for (const p of t.slice(0, -1))
      expect(Math.min(p[0], p[1], (10 - p[0] - p[1]) / Math.SQRT2)).toBeCloseTo(1, 9);
  });

  it('builds rotated rectangles of the asked size', () => {
    const r = rectangle([100, 100], 40, 10, Math.PI / 6);
    expect(polygonArea([r])).toBeCloseTo(400, 9);
    expect(Math.hypot(r[1][0] - r[0][0], r[1][1] - r[0][1])).toBeCloseTo(40, 9);
    expect(Math.atan2(r[1][1] - r[0][1], r[1][0] - r[0][0])).toBeCloseTo(Math.PI / 6, 9);
  });
});
