import { describe, expect, it } from 'vitest';
import { partitionPolygon } from '../../geo/partition.ts';
import {
  multiPolygonArea,
  type MultiPolygon,
  pointInMultiPolygon,
  type Position,
} from '../../geo/planar.ts';
import { createRng } from '../../geo/prng.ts';
import { randomPointsInPolygon } from '../../geo/random-points.ts';
import { fixture, outsideArea, overlapArea } from './helpers.ts';

describe('partitionPolygon', () => {
  it('cuts the square fixture into the expected Voronoi cells', () => {
    const fc = fixture('partition-square.geojson');
    const parent: MultiPolygon = [
      fc.features.find((f: any) => f.properties.role === 'parent').geometry.coordinates,
    ];
    const seeds: Position[] = fc.features
      .filter((f: any) => f.properties.role === 'seed')
      .map((f: any) => f.geometry.coordinates);
    const expected = fc.features.filter((f: any) => f.properties.role === 'expected');
    const cells = partitionPolygon(parent, seeds);
    for (const e of expected) {
      const want: MultiPolygon = [e.geometry.coordinates];
      const got = cells[e.properties.seed];
      expect(multiPolygonArea(got)).toBeCloseTo(multiPolygonArea(want), 6);
      expect(overlapArea(got, want)).toBeCloseTo(multiPolygonArea(want), 6);
    }
  });

  it('tiles a concave multipolygon: children inside, no overlaps, nothing missing', () => {
    const district: MultiPolygon = fixture('concave-district.geojson').features[0].geometry
      .coordinates;
    const seeds = randomPointsInPolygon(district, 25, createRng('partition'), { minDistance: 40 });
    const cells = partitionPolygon(district, seeds);
    expect(cells).toHaveLength(25);
    const total = cells.reduce((s, c) => s + multiPolygonArea(c), 0);
    expect(total).toBeCloseTo(multiPolygonArea(district), 3);
    cells.forEach((cell, i) => {
      expect(pointInMultiPolygon(seeds[i], cell)).toBe(true);
      expect(outsideArea(cell, district)).toBeLessThan(1e-3);
      for (let j = i + 1; j < cells.length; j++)
        expect(overlapArea(cell, cells[j])).toBeLessThan(1e-3);
    });
  });

  it('returns the parent for one seed and rejects duplicate seeds', () => {
    const parent: MultiPolygon = [
      [
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 0],
        ],
      ],
    ];
    expect(partitionPolygon(parent, [[0.5, 0.2]])).toEqual([parent]);
    expect(() =>
      partitionPolygon(parent, [
        [0.5, 0.2],
        [0.5, 0.2],
      ]),
    ).toThrow(/duplicate/);
  });
});
