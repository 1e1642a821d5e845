/**
 * Douglas–Peucker simplification of polygons that share borders (districts of one city), done on
 * the shared arcs so that neighbours stay gap- and overlap-free: each border between two polygons
 * is simplified once and used by both, as TopoJSON does. Arcs are split wherever a vertex is shared
 * by rings that continue differently (a junction). Shared vertices must be bit-identical, which
 * holds for outlines cut from one quantised source.
 *
 * Tolerance is in coordinate units: project to metres first (local-frame.ts) to give it in metres.
 *
 * @example
 * const [a, b] = simplifySharedBorders([left, right], 30); // the common border stays common
 */
import {
  cleanRing,
  type MultiPolygon,
  type Position,
  type Ring,
  segmentDistance,
} from './planar.ts';

const key = (p: Position): string => `${p[0]},${p[1]}`;

function douglasPeucker(points: Position[], tolerance: number): Position[] {
  if (points.length <= 2) return points;
  const keep = new Uint8Array(points.length);
  keep[0] = 1;
  keep[points.length - 1] = 1;
  const stack: [number, number][] = [[0, points.length - 1]];
  while (stack.length > 0) {
    const [a, b] = stack.pop()!;
    let worst = -1;
    let worstD = tolerance;
    for (let i = a + 1; i < b; i++) {
      const d = segmentDistance(points[i], points[a], points[b]);
      if (d > worstD) {
        worst = i;
        worstD = d;
      }
    }
    if (worst > 0) {
      keep[worst] = 1;
      stack.push([a, worst], [worst, b]);
    }
  }
  return points.filter((_, i) => keep[i] === 1);
}

export function simplifySharedBorders(polygons: MultiPolygon[], tolerance: number): MultiPolygon[] {
  const rings: Ring[] = polygons.flatMap((mp) =>
    mp.flatMap((poly) => poly.map((r) => cleanRing(r))),
  );
  // For each vertex, the neighbour pairs it has in every ring it occurs in.
  const neighbours = new Map<string, Set<string>>();
  const occurrences = new Map<string, number>();
  for (const ring of rings) {
    const n = ring.length - 1;
    for (let i = 0; i < n; i++) {
      const k = key(ring[i]);
      const prev = key(ring[(i - 1 + n) % n]);
      const next = key(ring[(i + 1) % n]);
      const pair = prev < next ? `${prev}|${next}` : `${next}|${prev}`;
      if (!neighbours.has(k)) neighbours.set(k, new Set());
      neighbours.get(k)!.add(pair);
      occurrences.set(k, (occurrences.get(k) ?? 0) + 1);
    }
  }
  const isJunction = (p: Position): boolean => {
    const k = key(p);
    return occurrences.get(k)! > 1 && neighbours.get(k)!.size > 1;
  };

  const cache = new Map<string, Position[]>();
  const simplifyArc = (arc: Position[]): Position[] => {
    const forward = arc.map(key).join(';');
    const hit = cache.get(forward);
    if (hit) return hit;
    const result = douglasPeucker(arc, tolerance);
    cache.set(forward, result);
    cache.set([...arc].reverse().map(key).join(';'), [...result].reverse());
    return result;
  };

  const simplifyRing = (ring: Ring): Ring | null => {
    const n = ring.length - 1;
    const start = ring.slice(0, n).findIndex(isJunction);
    let out: Position[];
    if (start < 0) {
      // A ring with no junction is one closed arc: anchor it at its first vertex and the vertex
      // farthest from it so that Douglas–Peucker has two fixed ends.
      let far = 1;
      let farD = -1;
      for (let i = 1; i < n; i++) {
        const d = Math.hypot(ring[i][0] - ring[0][0], ring[i][1] - ring[0][1]);
        if (d > farD) {
          far = i;
          farD = d;
        }
      }
      out = [
        ...douglasPeucker(ring.slice(0, far + 1), tolerance).slice(0, -1),
        ...douglasPeucker(ring.slice(far), tolerance),
      ];
    } else {
      const rotated = [...ring.slice(start, n), ...ring.slice(0, start + 1)];
      out = [rotated[0]];
      let arc: Position[] = [rotated[0]];
      for (let i = 1; i < rotated.length; i++) {
        arc.push(rotated[i]);
        if (isJunction(rotated[i]) || i === rotated.length - 1) {
          out.push(...simplifyArc(arc).slice(1));
          arc = [rotated[i]];
        }
      }
    }
    const cleaned = cleanRing(out);
    return cleaned.length >= 4 ? cleaned : null;
  };

  return polygons.map((mp) =>
    mp.flatMap((poly) => {
      const [outer, ...holes] = poly.map(simplifyRing);
      return outer ? [[outer, ...holes.filter((r): r is Ring => r !== null)]] : [];
    }),
  );
}
