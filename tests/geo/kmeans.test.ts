import { describe, expect, it } from 'vitest';
import { kMeans } from '../../geo/kmeans.ts';
import type { Position } from '../../geo/planar.ts';
import { createRng } from '../../geo/prng.ts';
import { dist } from './helpers.ts';

describe('kMeans', () => {
  it('finds well separated clusters and labels each point by its nearest centre', () => {
    const rng = createRng(3);
    const truth: Position[] = [
      [0, 0],
      [1000, 0],
      [500, 900],
    ];
    const points: Position[] = truth.flatMap((c) =>
      Array.from(
        { length: 40 },
        () => [c[0] + rng.normal(0, 30), c[1] + rng.normal(0, 30)] as Position,
      ),
    );
    const { centres, labels } = kMeans(points, 3, createRng(4));
    for (const t of truth) expect(Math.min(...centres.map((c) => dist(c, t)))).toBeLessThan(20);
    points.forEach((p, i) => {
      const nearest = centres
        .map((c) => dist(c, p))
        .indexOf(Math.min(...centres.map((c) => dist(c, p))));
      expect(labels[i]).toBe(nearest);
    });
  });

  it('never asks for more centres than points', () => {
    expect(
      kMeans(
        [
          [0, 0],
          [1, 1],
        ],
        5,
        createRng(1),
      ).centres,
    ).toHaveLength(2);
  });
});
