/**
 * Random points inside a (multi)polygon, optionally weighted by a density surface (more points
 * where it is higher, e.g. toward an urban centre) and kept at least `minDistance` apart (so that
 * compounds or seeds do not pile onto one spot). Rejection sampling in the bounding box; the
 * density is rescaled by its maximum over the polygon, so a polygon far from every centre still
 * fills quickly. When `minDistance` cannot be met it is relaxed step by step, so exactly `count`
 * points come back for any polygon with area. Deterministic for a given Rng.
 *
 * @example
 * const rng = createRng(1);
 * const density = urbanDensity([{ at: [0, 0], sigma: 500, weight: 1 }]);
 * randomPointsInPolygon(square, 100, rng, { density, minDistance: 20 }); // 100 points, dense near 0,0
 */
import { bboxOf, type MultiPolygon, pointInMultiPolygon, type Position } from './planar.ts';
import type { Rng } from './prng.ts';
import type { Density } from './urban-density.ts';

export interface RandomPointsOptions {
  density?: Density;
  /** Sharpens (>1) or flattens (<1) the density's contrast. */
  exponent?: number;
  minDistance?: number;
  /** Points already placed that new ones must also keep away from. */
  avoid?: readonly Position[];
}

/** A hash grid for "is any point within d of p" in O(1). */
class PointGrid {
  private cells = new Map<string, Position[]>();
  constructor(private size: number) {}
  private key(x: number, y: number): string {
    return `${Math.floor(x / this.size)},${Math.floor(y / this.size)}`;
  }
  add(p: Position): void {
    const k = this.key(p[0], p[1]);
    const list = this.cells.get(k);
    if (list) list.push(p);
    else this.cells.set(k, [p]);
  }
  near(p: Position, d: number): boolean {
    const cx = Math.floor(p[0] / this.size);
    const cy = Math.floor(p[1] / this.size);
    for (let i = cx - 1; i <= cx + 1; i++) {
      for (let j = cy - 1; j <= cy + 1; j++) {
        for (const q of this.cells.get(`${i},${j}`) ?? []) {
          if ((q[0] - p[0]) ** 2 + (q[1] - p[1]) ** 2 < d * d) return true;
        }
      }
    }
    return false;
  }
}

export function randomPointsInPolygon(
  polygon: MultiPolygon,
  count: number,
  rng: Rng,
  options: RandomPointsOptions = {},
): Position[] {
  if (count <= 0) return [];
  const [x0, y0, x1, y1] = bboxOf(polygon);
  const uniform = (): Position => [x0 + rng.next() * (x1 - x0), y0 + rng.next() * (y1 - y0)];
  const exponent = options.exponent ?? 1;
  const weight = options.density ? (p: Position) => options.density!(p) ** exponent : () => 1;

  // The density's maximum over the polygon, estimated from a sample, so acceptance is relative.
  let peak = options.density ? 0 : 1;
  for (let i = 0, found = 0; options.density && i < 3000 && found < 150; i++) {
    const p = uniform();
    if (!pointInMultiPolygon(p, polygon)) continue;
    found++;
    peak = Math.max(peak, weight(p));
  }
  if (peak === 0) peak = 1;

  let minDistance = options.minDistance ?? 0;
  const gridSize = Math.max(minDistance, 1e-9);
  let grid = new PointGrid(gridSize);
  for (const p of options.avoid ?? []) grid.add(p);
  const out: Position[] = [];
  let failures = 0;
  while (out.length < count) {
    const p = uniform();
    // Cheapest test first: the point-in-polygon test on a long outline costs the most.
    const accepted =
      rng.next() * peak < weight(p) &&
      (minDistance === 0 || !grid.near(p, minDistance)) &&
      pointInMultiPolygon(p, polygon);
    if (accepted) {
      out.push(p);
      grid.add(p);
      failures = 0;
    } else if (++failures > 2000 + 200 * count) {
      if (minDistance === 0) throw new Error('randomPointsInPolygon: the polygon has no area');
      // Too crowded (or the polygon is a sliver): relax the spacing and keep going.
      minDistance /= 2;
      grid = new PointGrid(Math.max(minDistance, 1e-9));
      for (const q of [...(options.avoid ?? []), ...out]) grid.add(q);
      failures = 0;
      if (minDistance < 1e-6) minDistance = 0;
    }
  }
  return out;
}
