/**
 * Shrinks a (multi)polygon by a distance: every point of the result is at least `distance` from
 * the original boundary (morphological erosion). This is what leaves a street between two
 * compounds generated in neighbouring cells. Convex pieces are offset exactly and fast; concave
 * ones subtract a band around every edge (each edge swept by an octagon that contains the circle
 * of radius `distance`, so the gap is never narrower than asked). Planar coordinates.
 *
 * @example
 * insetPolygon([[[[0, 0], [100, 0], [100, 50], [0, 50], [0, 0]]]], 10);
 * // [[[[10, 10], [90, 10], [90, 40], [10, 40], [10, 10]]]]
 */
import { difference, featureCollection, polygon as turfPolygon } from '@turf/turf';
import { insetConvex } from './convex.ts';
import {
  isConvexRing,
  type MultiPolygon,
  type Polygon,
  type Position,
  type Ring,
} from './planar.ts';

/** Andrew's monotone chain; returns a closed counter-clockwise ring. */
function convexHull(points: Position[]): Ring {
  const p = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const cross = (o: Position, a: Position, b: Position): number =>
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Position[] = [];
  for (const q of p) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], q) <= 0)
      lower.pop();
    lower.push(q);
  }
  const upper: Position[] = [];
  for (let i = p.length - 1; i >= 0; i--) {
    const q = p[i];
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], q) <= 0)
      upper.pop();
    upper.push(q);
  }
  const hull = [...lower.slice(0, -1), ...upper.slice(0, -1)];
  return [...hull, hull[0]];
}

/** The edge a–b swept by an octagon whose inscribed circle has radius r. */
function edgeBand(a: Position, b: Position, r: number): Ring {
  const R = r / Math.cos(Math.PI / 8);
  const pts: Position[] = [];
  for (const c of [a, b]) {
    for (let k = 0; k < 8; k++) {
      const t = Math.PI / 8 + (k * Math.PI) / 4;
      pts.push([c[0] + R * Math.cos(t), c[1] + R * Math.sin(t)]);
    }
  }
  return convexHull(pts);
}

function insetConcave(polygon: Polygon, distance: number): MultiPolygon {
  // polyclip can fail to close a ring on near-degenerate input ("Unable to complete output
  // ring"); a distance changed in its last digits moves every band edge and usually avoids it.
  for (const d of [distance, distance * (1 + 1e-7), distance * (1 + 1e-4)]) {
    const bands = polygon.flatMap((ring) =>
      ring.slice(0, -1).map((a, i) => turfPolygon([edgeBand(a, ring[i + 1], d)])),
    );
    try {
      const result = difference(featureCollection([turfPolygon(polygon), ...bands]));
      if (!result) return [];
      const g = result.geometry;
      return (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as MultiPolygon;
    } catch {
      continue;
    }
  }
  return []; // conservative: nothing is certainly far enough from the edge
}

export function insetPolygon(mp: MultiPolygon, distance: number): MultiPolygon {
  if (distance <= 0) return mp;
  const out: MultiPolygon = [];
  for (const polygon of mp) {
    if (polygon.length === 1 && isConvexRing(polygon[0])) {
      const r = insetConvex(polygon[0], distance);
      if (r) out.push([r]);
    } else {
      out.push(...insetConcave(polygon, distance));
    }
  }
  return out;
}
