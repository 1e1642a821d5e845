/**
 * Building footprints inside a compound: rectangles of one size in rows along the compound's
 * orientation, with spacing between rows (sunlight rules put slab blocks 1–1.5 heights apart) and
 * between neighbours in a row, 2 m clear of the fence. Only slots wholly inside the compound are used; when more fit than
 * wanted, an even spread of them is kept. Returns fewer than `count` rectangles when the compound
 * is too small. Planar coordinates.
 *
 * @example
 * const site: Polygon = [[[0, 0], [200, 0], [200, 120], [0, 120], [0, 0]]];
 * buildingFootprints(site, 6, { length: 60, depth: 12, angle: 0, gapAlong: 10, gapAcross: 20 });
 * // six 60 × 12 slabs in two columns of rows
 */
import { rectangle } from './convex.ts';
import { bboxOf, type Polygon, type Position, type Ring, ringInsidePolygon } from './planar.ts';

const FENCE_M = 2;

export interface BuildingLayout {
  length: number;
  depth: number;
  /** Radians from east. */
  angle: number;
  /** Gap between buildings in a row, and between rows. */
  gapAlong: number;
  gapAcross: number;
}

export function buildingFootprints(site: Polygon, count: number, layout: BuildingLayout): Ring[] {
  if (count <= 0) return [];
  const c = Math.cos(layout.angle);
  const s = Math.sin(layout.angle);
  // Lay the lattice out in the site's own frame (u along the rows, v across).
  const toUv = (p: Position): Position => [p[0] * c + p[1] * s, -p[0] * s + p[1] * c];
  const fromUv = (q: Position): Position => [q[0] * c - q[1] * s, q[0] * s + q[1] * c];
  const uvSite = site.map((ring) => ring.map(toUv));
  const [u0, v0, u1, v1] = bboxOf(uvSite);
  const stepU = layout.length + layout.gapAlong;
  const stepV = layout.depth + layout.gapAcross;
  // Keep buildings off the compound's fence.
  const w = u1 - u0 - 2 * FENCE_M;
  const h = v1 - v0 - 2 * FENCE_M;
  const cols = Math.max(1, Math.floor((w + layout.gapAlong) / stepU));
  const rows = Math.max(1, Math.floor((h + layout.gapAcross) / stepV));
  // Centre the lattice so the leftover margin is even on both sides.
  const startU = u0 + (u1 - u0 - (cols * stepU - layout.gapAlong)) / 2 + layout.length / 2;
  const startV = v0 + (v1 - v0 - (rows * stepV - layout.gapAcross)) / 2 + layout.depth / 2;
  const slots: Ring[] = [];
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < cols; k++) {
      const rect = rectangle(
        [startU + k * stepU, startV + r * stepV],
        layout.length,
        layout.depth,
        0,
      );
      if (ringInsidePolygon(rect, uvSite)) slots.push(rect);
    }
  }
  const chosen =
    slots.length <= count
      ? slots
      : Array.from(
          { length: count },
          (_, i) => slots[Math.floor(((i + 0.5) * slots.length) / count)],
        );
  return chosen.map((rect) => rect.map(fromUv));
}
