/**
 * Planar polygon measures on GeoJSON-shaped coordinates: area, bounding box, point-in-polygon,
 * convexity. "Planar" means the coordinates are taken as Cartesian, so use them on a local metric
 * frame (see local-frame.ts), not on raw lon/lat, when the answer is a length or an area.
 *
 * Rings are closed (first position repeated last), as in GeoJSON. A MultiPolygon is the general
 * shape the generators pass around, since clipping a cell by a concave parent can split it.
 *
 * @example
 * const square: MultiPolygon = [[[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]]];
 * multiPolygonArea(square); // 100
 * pointInMultiPolygon([5, 5], square); // true
 */
export type Position = [number, number];
export type Ring = Position[];
export type Polygon = Ring[];
export type MultiPolygon = Polygon[];
export type BBox = [number, number, number, number];

/** Signed area of a closed ring: positive when counter-clockwise. */
export function ringSignedArea(ring: readonly Position[]): number {
  let s = 0;
  for (let i = 0, n = ring.length - 1; i < n; i++) {
    s += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  }
  return s / 2;
}

export function polygonArea(polygon: Polygon): number {
  let a = Math.abs(ringSignedArea(polygon[0]));
  for (let i = 1; i < polygon.length; i++) a -= Math.abs(ringSignedArea(polygon[i]));
  return a;
}

export function multiPolygonArea(mp: MultiPolygon): number {
  return mp.reduce((s, p) => s + polygonArea(p), 0);
}

export function bboxOf(mp: MultiPolygon | Polygon | Ring): BBox {
  const b: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (x: unknown): void => {
    const a = x as unknown[];
    if (typeof a[0] === 'number') {
      const p = a as Position;
      if (p[0] < b[0]) b[0] = p[0];
      if (p[1] < b[1]) b[1] = p[1];
      if (p[0] > b[2]) b[2] = p[0];
      if (p[1] > b[3]) b[3] = p[1];
    } else for (const c of a) visit(c);
  };
  visit(mp);
  return b;
}

/** Even-odd ray test; points exactly on an edge may go either way. */
export function pointInRing(p: readonly number[], ring: readonly Position[]): boolean {
  let inside = false;
  const [x, y] = p;
  for (let i = 0, j = ring.length - 2; i < ring.length - 1; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function pointInPolygon(p: readonly number[], polygon: Polygon): boolean {
  if (!pointInRing(p, polygon[0])) return false;
  for (let i = 1; i < polygon.length; i++) if (pointInRing(p, polygon[i])) return false;
  return true;
}

export function pointInMultiPolygon(p: readonly number[], mp: MultiPolygon): boolean {
  return mp.some((poly) => pointInPolygon(p, poly));
}

/**
 * Whether a single-ring polygon is convex (collinear vertices allowed). Convex pieces take the
 * fast exact paths in clipping and insetting.
 */
export function isConvexRing(ring: readonly Position[]): boolean {
  const n = ring.length - 1;
  if (n < 3) return false;
  let sign = 0;
  for (let i = 0; i < n; i++) {
    const a = ring[i];
    const b = ring[(i + 1) % n];
    const c = ring[(i + 2) % n];
    const cross = (b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0]);
    if (Math.abs(cross) < 1e-9) continue;
    const s = Math.sign(cross);
    if (sign === 0) sign = s;
    else if (s !== sign) return false;
  }
  return sign !== 0;
}

/** Returns the ring counter-clockwise (GeoJSON's outer-ring order), copying only if needed. */
export function counterClockwise(ring: Ring): Ring {
  return ringSignedArea(ring) < 0 ? [...ring].reverse() : ring;
}

/** Drops consecutive duplicate positions and closes the ring. */
export function cleanRing(ring: readonly Position[], epsilon = 1e-9): Ring {
  const out: Ring = [];
  for (const p of ring) {
    const q = out[out.length - 1];
    if (!q || Math.abs(q[0] - p[0]) > epsilon || Math.abs(q[1] - p[1]) > epsilon) out.push(p);
  }
  if (out.length > 1) {
    const a = out[0];
    const z = out[out.length - 1];
    if (Math.abs(a[0] - z[0]) <= epsilon && Math.abs(a[1] - z[1]) <= epsilon) out.pop();
  }
  if (out.length > 0) out.push([out[0][0], out[0][1]]);
  return out;
}

/** Distance from p to segment ab. */
export function segmentDistance(p: readonly number[], a: readonly number[], b: readonly number[]) {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2 : 0;
  t = Math.max(0, Math.min(1, t));
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

/** Whether segments p1p2 and p3p4 intersect, touching included. */
export function segmentsIntersect(
  p1: readonly number[],
  p2: readonly number[],
  p3: readonly number[],
  p4: readonly number[],
): boolean {
  const d = (a: readonly number[], b: readonly number[], c: readonly number[]): number =>
    (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  // c lies on segment ab, given that the three are collinear.
  const within = (a: readonly number[], b: readonly number[], c: readonly number[]): boolean =>
    Math.min(a[0], b[0]) <= c[0] &&
    c[0] <= Math.max(a[0], b[0]) &&
    Math.min(a[1], b[1]) <= c[1] &&
    c[1] <= Math.max(a[1], b[1]);
  const d1 = d(p3, p4, p1);
  const d2 = d(p3, p4, p2);
  const d3 = d(p1, p2, p3);
  const d4 = d(p1, p2, p4);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
    return true;
  }
  return (
    (d1 === 0 && within(p3, p4, p1)) ||
    (d2 === 0 && within(p3, p4, p2)) ||
    (d3 === 0 && within(p1, p2, p3)) ||
    (d4 === 0 && within(p1, p2, p4))
  );
}

/**
 * Whether `ring` lies inside `polygon`: its vertices are inside, no boundaries meet, and no hole
 * sits wholly within it.
 */
export function ringInsidePolygon(ring: readonly Position[], polygon: Polygon): boolean {
  for (let i = 0; i < ring.length - 1; i++) if (!pointInPolygon(ring[i], polygon)) return false;
  for (let h = 1; h < polygon.length; h++) if (pointInRing(polygon[h][0], ring)) return false;
  for (const r of polygon) {
    for (let i = 0; i < r.length - 1; i++) {
      for (let j = 0; j < ring.length - 1; j++) {
        if (segmentsIntersect(r[i], r[i + 1], ring[j], ring[j + 1])) return false;
      }
    }
  }
  return true;
}

/**
 * Whether a closed ring is simple: no two non-adjacent edges meet, and none come closer than
 * `tolerance` (a ring that passes within a millimetre of itself is valid in exact arithmetic but
 * not once its coordinates are converted and rounded). O(n²), for modest rings.
 */
export function isSimpleRing(ring: readonly Position[], tolerance = 0): boolean {
  const n = ring.length - 1;
  if (n < 3) return false;
  const near = (a: Position, b: Position, c: Position, d: Position): boolean =>
    segmentsIntersect(a, b, c, d) ||
    (tolerance > 0 &&
      Math.min(
        segmentDistance(a, c, d),
        segmentDistance(b, c, d),
        segmentDistance(c, a, b),
        segmentDistance(d, a, b),
      ) < tolerance);
  for (let i = 0; i < n; i++) {
    const a = ring[i];
    const b = ring[i + 1];
    const x0 = Math.min(a[0], b[0]) - tolerance;
    const x1 = Math.max(a[0], b[0]) + tolerance;
    const y0 = Math.min(a[1], b[1]) - tolerance;
    const y1 = Math.max(a[1], b[1]) + tolerance;
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue; // the closing edge meets the first at the start
      const c = ring[j];
      const d = ring[j + 1];
      if (Math.max(c[0], d[0]) < x0 || Math.min(c[0], d[0]) > x1) continue;
      if (Math.max(c[1], d[1]) < y0 || Math.min(c[1], d[1]) > y1) continue;
      if (near(a, b, c, d)) return false;
    }
    // Adjacent edges may only share their common vertex: not fold back over each other.
    const c = ring[(i + 2) % n];
    const dot = (b[0] - a[0]) * (c[0] - b[0]) + (b[1] - a[1]) * (c[1] - b[1]);
    if (
      dot < 0 &&
      (segmentDistance(c, a, b) <= tolerance || segmentDistance(a, b, c) <= tolerance)
    ) {
      return false;
    }
  }
  return true;
}
