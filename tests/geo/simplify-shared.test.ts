import { describe, expect, it } from 'vitest';
import { multiPolygonArea, type MultiPolygon } from '../../geo/planar.ts';
import { simplifySharedBorders } from '../../geo/simplify-shared.ts';
import { fixture, overlapArea } from './helpers.ts';

describe('simplifySharedBorders', () => {
  const fc = fixture('shared-borders.geojson');
  const input: MultiPolygon[] = fc.features.map((f: any) => [f.geometry.coordinates]);

  it('simplifies the common border once, so the neighbours neither overlap nor leave a gap', () => {
    const [west, east] = simplifySharedBorders(input, 5);
    expect(west[0][0].length).toBeLessThan(input[0][0][0].length);
    expect(overlapArea(west, east)).toBeLessThan(1e-9);
    expect(multiPolygonArea(west) + multiPolygonArea(east)).toBeCloseTo(200 * 100, 9);
    const border = (mp: MultiPolygon) =>
      mp[0][0]
        .filter(([x]) => x > 50 && x < 150)
        .map((p) => p.join())
        .sort();
    expect(border(west)).toEqual(border(east));
  });

  it('keeps detail larger than the tolerance', () => {
    const [west] = simplifySharedBorders(input, 1);
    expect(west[0][0].length).toBe(input[0][0][0].length);
  });
});
