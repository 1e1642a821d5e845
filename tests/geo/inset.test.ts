import { describe, expect, it } from 'vitest';
import { insetPolygon } from '../../geo/inset.ts';
import { multiPolygonArea, type MultiPolygon, segmentDistance } from '../../geo/planar.ts';
import { fixture, outsideArea } from './helpers.ts';

const district: MultiPolygon = fixture('concave-district.geojson').features[0].geometry.coordinates;

describe('insetPolygon', () => {
  it('shrinks a rectangle exactly', () => {
    const r = insetPolygon(
      [
        [
          [
            [0, 0],
            [100, 0],
            [100, 50],
            [0, 50],
            [0, 0],
          ],
        ],
      ],
      10,
    );
    expect(multiPolygonArea(r)).toBeCloseTo(80 * 30, 9);
  });

  it('keeps every point of a concave shape at least the distance from its boundary', () => {
    const d = 25;
    const r = insetPolygon(district, d);
    expect(outsideArea(r, district)).toBeLessThan(1e-6);
    // Close to the exact erosion: perimeter × d, less the corners.
    expect(multiPolygonArea(r)).toBeLessThan(multiPolygonArea(district) - 4000 * d * 0.9);
    for (const poly of r) {
      for (const ring of poly) {
        for (const p of ring) {
          let nearest = Infinity;
          for (const q of district) {
            for (const s of q) {
              for (let i = 0; i < s.length - 1; i++)
                nearest = Math.min(nearest, segmentDistance(p, s[i], s[i + 1]));
            }
          }
          expect(nearest).toBeGreaterThanOrEqual(d - 1e-6);
        }
      }
    }
  });

  it('drops pieces thinner than twice the distance', () => {
    expect(
      insetPolygon(
        [
          [
            [
              [0, 0],
              [100, 0],
              [100, 10],
              [0, 10],
              [0, 0],
            ],
          ],
        ],
        6,
      ),
    ).toEqual([]);
  });
});
