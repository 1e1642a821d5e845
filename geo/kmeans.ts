/**
 * k-means clustering of points (k-means++ start, Lloyd iterations), deterministic for a given Rng.
 * Used to place grid seeds among the compounds of a community, so that each grid (the patch one
 * gridworker covers) holds a few neighbouring compounds. Labels are the nearest final centre of each
 * point, so every point lies in its centre's Voronoi cell. Planar coordinates.
 *
 * @example
 * const { centres, labels } = kMeans([[0, 0], [1, 0], [10, 10], [11, 10]], 2, createRng(1));
 * // centres ≈ [[0.5, 0], [10.5, 10]] (in some order); labels pair the points accordingly
 */
import type { Position } from './planar.ts';
import type { Rng } from './prng.ts';

export interface KMeansResult {
  centres: Position[];
  labels: Int32Array;
}

const d2 = (a: Position, b: Position): number => (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2;

function nearest(p: Position, centres: Position[]): number {
  let best = 0;
  let bestD = Infinity;
  for (let j = 0; j < centres.length; j++) {
    const d = d2(p, centres[j]);
    if (d < bestD) {
      best = j;
      bestD = d;
    }
  }
  return best;
}

export function kMeans(
  points: readonly Position[],
  k: number,
  rng: Rng,
  iterations = 15,
): KMeansResult {
  const n = points.length;
  if (k <= 0 || n === 0) return { centres: [], labels: new Int32Array(n) };
  k = Math.min(k, n);
  const centres: Position[] = [[...points[rng.int(0, n)]] as Position];
  const dist = points.map((p) => d2(p, centres[0]));
  while (centres.length < k) {
    const i = rng.weighted(dist);
    centres.push([...points[i]] as Position);
    for (let j = 0; j < n; j++) dist[j] = Math.min(dist[j], d2(points[j], points[i]));
  }
  const labels = new Int32Array(n);
  for (let it = 0; it < iterations; it++) {
    for (let i = 0; i < n; i++) labels[i] = nearest(points[i], centres);
    const sum = centres.map(() => [0, 0, 0]);
    for (let i = 0; i < n; i++) {
      const s = sum[labels[i]];
      s[0] += points[i][0];
      s[1] += points[i][1];
      s[2]++;
    }
    sum.forEach((s, j) => {
      if (s[2] > 0) centres[j] = [s[0] / s[2], s[1] / s[2]];
    });
  }
  for (let i = 0; i < n; i++) labels[i] = nearest(points[i], centres);
  return { centres, labels };
}
