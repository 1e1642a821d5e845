/**
 * A local planar frame in metres around an origin: east = x, north = y. Geometry generation
 * (partitions, street setbacks, building rectangles) needs distances in metres and straight
 * Voronoi bisectors; degrees are neither (at Lanzhou a degree of longitude is 20% shorter than one
 * of latitude). An equirectangular projection on the WGS-84 ellipsoid is accurate to about 0.5%
 * within 100 km of the origin, which covers all five districts, and it maps straight lines to
 * straight lines, so containment computed in the frame holds in lon/lat too.
 *
 * @example
 * const frame = localFrame([103.8, 36.06]);
 * frame.toMetres([103.81, 36.06]); // ≈ [900.6, 0]
 * frame.toLonLat(frame.toMetres([103.81, 36.07])); // [103.81, 36.07]
 */
import type { MultiPolygon, Position } from './planar.ts';

export interface LocalFrame {
  readonly origin: readonly [number, number];
  toMetres(lonLat: readonly number[]): Position;
  toLonLat(xy: readonly number[]): Position;
}

const WGS84_A = 6378137;
const WGS84_E2 = 0.0066943799901413165;

export function localFrame(origin: readonly [number, number]): LocalFrame {
  const phi = (origin[1] * Math.PI) / 180;
  const w = 1 - WGS84_E2 * Math.sin(phi) ** 2;
  // Radii of curvature in the prime vertical and the meridian at the origin latitude.
  const n = WGS84_A / Math.sqrt(w);
  const m = (WGS84_A * (1 - WGS84_E2)) / w ** 1.5;
  const mx = (n * Math.cos(phi) * Math.PI) / 180; // metres per degree of longitude
  const my = (m * Math.PI) / 180; // metres per degree of latitude
  return {
    origin,
    toMetres: (p) => [(p[0] - origin[0]) * mx, (p[1] - origin[1]) * my],
    toLonLat: (p) => [origin[0] + p[0] / mx, origin[1] + p[1] / my],
  };
}

/** Applies `fn` to every position of a multipolygon, returning a new one. */
export function mapMultiPolygon(mp: MultiPolygon, fn: (p: Position) => Position): MultiPolygon {
  return mp.map((poly) => poly.map((ring) => ring.map(fn)));
}
