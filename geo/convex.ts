/**
 * Exact, fast operations on convex rings: intersection of two convex polygons
 * (Sutherland–Hodgman) and inward offset (inset) by a distance. Voronoi cells are convex, and so
 * is every cell that does not touch a district's outline, so most of the generator's clipping
 * takes these paths instead of a general polygon-clipping library, which is two orders of magnitude
 * slower. Input rings are closed; output rings are closed and counter-clockwise.
 *
 * @example
 * const a: Ring = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]];
 * clipConvex(a, [[5, 5], [15, 5], [15, 15], [5, 15], [5, 5]]); // the square [5..10]²
 * insetConvex(a, 2); // the square [2..8]²
 */
import { cleanRing, counterClockwise, type Position, type Ring, ringSignedArea } from './planar.ts';

/** Keeps the part of `ring` on the left of the directed line a→b (plus `offset` inward). */
function clipHalfPlane(points: Position[], a: Position, b: Position, offset: number): Position[] {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len = Math.hypot(dx, dy);
  if (len === 0 || points.length === 0) return points;
  // Signed distance to the left of a→b, shifted so that the kept side starts `offset` inside.
  const side = (p: Position): number => (dx * (p[1] - a[1]) - dy * (p[0] - a[0])) / len - offset;
  const out: Position[] = [];
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    const q = points[(i + 1) % points.length];
    const sp = side(p);
    const sq = side(q);
    if (sp >= 0) out.push(p);
    if (sp >= 0 !== sq >= 0) {
      const t = sp / (sp - sq);
      out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
    }
  }
  return out;
}

function finish(points: Position[], minArea: number): Ring | null {
  if (points.length < 3) return null;
  const ring = cleanRing([...points, points[0]], 1e-7);
  if (ring.length < 4 || Math.abs(ringSignedArea(ring)) <= minArea) return null;
  return counterClockwise(ring);
}

/**
 * Sutherland–Hodgman: the open point list `points` clipped to the convex ring `clip`. Exact when
 * the subject is convex too; a concave subject comes back with zero-width bridges between its
 * pieces (see clip.ts).
 */
export function clipHalfPlanes(points: Position[], clip: Ring): Position[] {
  const c = counterClockwise(clip);
  let out = points;
  for (let i = 0; i < c.length - 1 && out.length > 0; i++) {
    out = clipHalfPlane(out, c[i], c[i + 1], 0);
  }
  return out;
}

/** The intersection of two convex rings, or null when it is empty (or degenerate). */
export function clipConvex(subject: Ring, clip: Ring, minArea = 1e-6): Ring | null {
  return finish(clipHalfPlanes(counterClockwise(subject).slice(0, -1), clip), minArea);
}

/** The convex ring moved inward by `distance` on every side, or null when nothing is left. */
export function insetConvex(ring: Ring, distance: number, minArea = 1e-6): Ring | null {
  const r = counterClockwise(ring);
  let points = r.slice(0, -1);
  for (let i = 0; i < r.length - 1 && points.length > 0; i++) {
    points = clipHalfPlane(points, r[i], r[i + 1], distance);
  }
  return finish(points, minArea);
}

/** A rectangle centred at `centre`, `width` along `angle` (radians from east), `depth` across. */
export function rectangle(centre: Position, width: number, depth: number, angle: number): Ring {
  const ux = Math.cos(angle);
  const uy = Math.sin(angle);
  const hw = width / 2;
  const hd = depth / 2;
  const corner = (su: number, sv: number): Position => [
    centre[0] + su * hw * ux - sv * hd * uy,
    centre[1] + su * hw * uy + sv * hd * ux,
  ];
  const c0 = corner(-1, -1);
  return [c0, corner(1, -1), corner(1, 1), corner(-1, 1), [c0[0], c0[1]]];
}
