/**
 * Intersection of any (multi)polygon with a convex ring, e.g. a parent area with one Voronoi cell.
 * It avoids general polygon clipping whenever it can: convex ∩ convex is exact Sutherland–Hodgman,
 * and a cell lying wholly inside (or wholly around) a piece of the parent is returned as is. Cells
 * crossing a concave boundary (a district outline) are clipped the same way and, where that leaves
 * zero-width bridges, rebuilt with polyclip through Turf. Slivers under a centimetre are dropped.
 * Coordinates are metres (a local frame): the millimetre and centimetre tolerances assume it.
 *
 * @example
 * const parent: MultiPolygon = [[[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]]];
 * clipToConvex(parent, [[5, 5], [15, 5], [15, 15], [5, 15], [5, 5]]); // [[[[5,5],[10,5],...]]]
 */
import { featureCollection, intersect, polygon as turfPolygon, union } from '@turf/turf';
import { clipConvex, clipHalfPlanes } from './convex.ts';
import {
  type BBox,
  bboxOf,
  cleanRing,
  counterClockwise,
  isConvexRing,
  isSimpleRing,
  type MultiPolygon,
  pointInPolygon,
  pointInRing,
  type Polygon,
  type Ring,
  ringSignedArea,
  segmentsIntersect,
} from './planar.ts';

function bboxesOverlap(a: BBox, b: BBox): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

/** Whether any edge of `polygon` meets an edge of `ring` (bounding boxes prefiltered). */
function boundariesMeet(polygon: Polygon, ring: Ring, ringBox: BBox): boolean {
  for (const r of polygon) {
    for (let i = 0; i < r.length - 1; i++) {
      const a = r[i];
      const b = r[i + 1];
      if (
        Math.max(a[0], b[0]) < ringBox[0] ||
        Math.min(a[0], b[0]) > ringBox[2] ||
        Math.max(a[1], b[1]) < ringBox[1] ||
        Math.min(a[1], b[1]) > ringBox[3]
      ) {
        continue;
      }
      for (let j = 0; j < ring.length - 1; j++) {
        // Touching counts: the slow path then decides, which is always safe.
        if (segmentsIntersect(a, b, ring[j], ring[j + 1])) return true;
      }
    }
  }
  return false;
}

function toMulti(g: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown }): MultiPolygon {
  return (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as MultiPolygon;
}

/**
 * A concave polygon ∩ a convex cell. Sutherland–Hodgman against a convex window gives the right
 * region but joins separate pieces by zero-width bridges along the window's edges; rebuilding that
 * ring with a polygon union removes them. The union then only sees the few vertices inside the
 * cell instead of the whole outline, which is what makes this fast. A clipped ring that is simple
 * (checked with a millimetre's tolerance) needs no rebuilding at all.
 */
function concaveIntersect(polygon: Polygon, cell: Ring): MultiPolygon {
  const clean = (mp: MultiPolygon) => mp.every((p) => p.every((r) => isSimpleRing(r, NEAR_M)));
  let clipped: Ring | null = null;
  if (polygon.length === 1) {
    const points = clipHalfPlanes(polygon[0].slice(0, -1), cell);
    if (points.length < 3) return [];
    clipped = cleanRing([...points, points[0]], 1e-9);
    if (clipped.length >= 4 && isSimpleRing(clipped, NEAR_M)) return [[counterClockwise(clipped)]];
    const ring = clipped;
    const pieces = polyclip(() =>
      union(featureCollection([turfPolygon([ring]), turfPolygon([ring])])),
    );
    if (pieces && clean(pieces)) return pieces;
  }
  // Holes, or a rebuild that did not come out clean: general clipping on the whole polygon.
  const pieces = polyclip(() =>
    intersect(featureCollection([turfPolygon(polygon), turfPolygon([cell])])),
  );
  if (pieces) return pieces;
  // polyclip gave up on near-degenerate input: keep the clipped ring (the database's validity
  // check repairs what is left of a bridge).
  return clipped && clipped.length >= 4 ? [[counterClockwise(clipped)]] : [];
}

/** Runs a polyclip operation through Turf; null when polyclip throws on degenerate input. */
function polyclip(
  run: () => { geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown } } | null,
): MultiPolygon | null {
  try {
    const result = run();
    return result ? toMulti(result.geometry) : [];
  } catch {
    return null;
  }
}

/** Rings closer to themselves than this are rebuilt: coordinates are metres, so 1 mm. */
const NEAR_M = 1e-3;

/**
 * Drops slivers that clipping leaves where a cell grazes a boundary: pieces whose mean width
 * (area ÷ half the perimeter) is under a centimetre.
 */
function solid(mp: MultiPolygon): MultiPolygon {
  const thick = (r: Ring): boolean => {
    if (r.length < 4) return false;
    let perimeter = 0;
    for (let i = 0; i < r.length - 1; i++) {
      perimeter += Math.hypot(r[i + 1][0] - r[i][0], r[i + 1][1] - r[i][1]);
    }
    return Math.abs(ringSignedArea(r)) > 0.005 * perimeter;
  };
  return mp.flatMap((poly) => {
    const [outer, ...holes] = poly.map((r) => cleanRing(r, 1e-9));
    return thick(outer) ? [[outer, ...holes.filter(thick)]] : [];
  });
}

export function clipToConvex(parent: MultiPolygon, cell: Ring): MultiPolygon {
  const cellBox = bboxOf(cell);
  const out: MultiPolygon = [];
  for (const polygon of parent) {
    if (!bboxesOverlap(bboxOf(polygon), cellBox)) continue;
    if (polygon.length === 1 && isConvexRing(polygon[0])) {
      const r = clipConvex(polygon[0], cell);
      if (r) out.push([r]);
      continue;
    }
    if (!boundariesMeet(polygon, cell, cellBox)) {
      // No boundary crossings: one contains the other, or they are disjoint.
      if (pointInPolygon(cell[0], polygon)) out.push([cell]);
      else if (pointInRing(polygon[0][0], cell)) out.push(polygon);
      continue;
    }
    out.push(...concaveIntersect(polygon, cell));
  }
  return solid(out);
}
