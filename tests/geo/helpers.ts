/** Shared checks for the geo tests: fixtures, and overlap / containment / distance measures. */
import { readFileSync } from 'node:fs';
import { difference, featureCollection, intersect, multiPolygon } from '@turf/turf';
import {
  multiPolygonArea,
  type MultiPolygon,
  type Polygon,
  type Position,
  segmentDistance,
} from '../../geo/planar.ts';

export function fixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

const asMulti = (g: { type: string; coordinates: unknown }): MultiPolygon =>
  (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as MultiPolygon;

/** Area of a ∩ b (planar), by polyclip: independent of the code under test. */
export function overlapArea(a: MultiPolygon, b: MultiPolygon): number {
  const r = intersect(featureCollection([multiPolygon(a), multiPolygon(b)]));
  return r ? multiPolygonArea(asMulti(r.geometry)) : 0;
}

/** Area of the part of `child` outside `parent`. */
export function outsideArea(child: MultiPolygon, parent: MultiPolygon): number {
  const r = difference(featureCollection([multiPolygon(child), multiPolygon(parent)]));
  return r ? multiPolygonArea(asMulti(r.geometry)) : 0;
}

/** Smallest distance between the boundaries of two polygons that do not overlap. */
export function boundaryDistance(a: Polygon, b: Polygon): number {
  let best = Infinity;
  const visit = (p: Polygon, q: Polygon) => {
    for (const ring of p) {
      for (const v of ring) {
        for (const r of q) {
          for (let i = 0; i < r.length - 1; i++)
            best = Math.min(best, segmentDistance(v, r[i], r[i + 1]));
        }
      }
    }
  };
  visit(a, b);
  visit(b, a);
  return best;
}

export const dist = (a: Position, b: Position): number => Math.hypot(a[0] - b[0], a[1] - b[1]);
