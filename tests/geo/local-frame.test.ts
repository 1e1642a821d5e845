import { distance } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { localFrame } from '../../geo/local-frame.ts';

describe('localFrame', () => {
  const frame = localFrame([103.8, 36.06]);

  it('round-trips positions', () => {
    const p: [number, number] = [102.87, 36.35];
    const q = frame.toLonLat(frame.toMetres(p));
    expect(q[0]).toBeCloseTo(p[0], 10);
    expect(q[1]).toBeCloseTo(p[1], 10);
  });

  it('measures distances across the five districts to within half a percent', () => {
    for (const [a, b] of [
      [
        [103.8, 36.06],
        [103.9, 36.06],
      ],
      [
        [103.63, 36.1],
        [103.83, 36.06],
      ],
      [
        [102.87, 36.35],
        [102.95, 36.3],
      ],
    ] as [number, number][][]) {
      const [x1, y1] = frame.toMetres(a);
      const [x2, y2] = frame.toMetres(b);
      const metres = Math.hypot(x2 - x1, y2 - y1);
      const geodesic = distance(a, b, { units: 'kilometers' }) * 1000;
      expect(Math.abs(metres / geodesic - 1)).toBeLessThan(0.005);
    }
  });
});
