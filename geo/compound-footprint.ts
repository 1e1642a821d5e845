/**
 * The footprint of a residential compound generated in a cell of its grid: a rectangle of the
 * wanted size around the compound's site, cut back to stay `setback` inside the cell. Cells tile
 * the grid, so two neighbouring compounds are always at least 2 × setback apart: the streets
 * between them. Uses inset(cell ∩ R⁺, s) = inset(cell, s) ∩ R, where R⁺ is the rectangle R grown
 * by s, so only the small part of the cell near the site is ever clipped. Planar coordinates.
 *
 * @example
 * const cell: MultiPolygon = [[[[0, 0], [400, 0], [400, 400], [0, 400], [0, 0]]]];
 * compoundFootprint(cell, { centre: [200, 200], width: 150, depth: 100, angle: 0, setback: 8 });
 * // the 150 × 100 rectangle around [200, 200]; near the cell's edge it would be cut 8 m short
 */
import { clipToConvex } from './clip.ts';
import { rectangle } from './convex.ts';
import { insetPolygon } from './inset.ts';
import { type MultiPolygon, type Polygon, polygonArea, type Position } from './planar.ts';

export interface FootprintOptions {
  /** The compound's site, inside the cell. */
  centre: Position;
  /** Wanted size of the rectangle along `angle` and across it. */
  width: number;
  depth: number;
  /** Orientation in radians from east (streets in a valley city follow the valley). */
  angle: number;
  /** Half the street width: distance kept from the cell's boundary. */
  setback: number;
  /** Footprints smaller than this are not worth a compound: null. Default 1/5 of the rectangle. */
  minArea?: number;
}

export function compoundFootprint(cell: MultiPolygon, o: FootprintOptions): Polygon | null {
  const grown = rectangle(o.centre, o.width + 2 * o.setback, o.depth + 2 * o.setback, o.angle);
  const pieces = insetPolygon(clipToConvex(cell, grown), o.setback);
  let best: Polygon | null = null;
  let bestArea = 0;
  for (const p of pieces) {
    const a = polygonArea(p);
    if (a > bestArea) {
      best = p;
      bestArea = a;
    }
  }
  const minArea = o.minArea ?? (o.width * o.depth) / 5;
  return best && bestArea >= minArea ? best : null;
}
