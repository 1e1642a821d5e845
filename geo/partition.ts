/**
 * Partitions a (multi)polygon into one cell per seed point: the Voronoi diagram of the seeds,
 * clipped to the parent. Cells tile the parent exactly (no gaps, no overlaps) and each contains
 * its seed, so placing seeds where children should be dense (a city centre) gives small children
 * there and large ones in the hills. A cell is a MultiPolygon because a concave parent can cut a
 * Voronoi cell in two. Coordinates are planar (project lon/lat first, see local-frame.ts).
 *
 * @example
 * const parent: MultiPolygon = [[[[0, 0], [100, 0], [100, 100], [0, 100], [0, 0]]]];
 * const [left, right] = partitionPolygon(parent, [[25, 50], [75, 50]]);
 * // left = [[[[0,0],[50,0],[50,100],[0,100],[0,0]]]] (up to vertex order)
 */
import { featureCollection, point, voronoi } from '@turf/turf';
import { clipToConvex } from './clip.ts';
import { bboxOf, type MultiPolygon, type Position, type Ring } from './planar.ts';

export function partitionPolygon(parent: MultiPolygon, seeds: readonly Position[]): MultiPolygon[] {
  if (seeds.length === 0) return [];
  if (seeds.length === 1) return [parent];
  const seen = new Set<string>();
  for (const s of seeds) {
    const k = `${s[0]},${s[1]}`;
    if (seen.has(k)) throw new Error(`partitionPolygon: duplicate seed ${k}`);
    seen.add(k);
  }
  const [x0, y0, x1, y1] = bboxOf(parent);
  const pad = Math.max(x1 - x0, y1 - y0) + 1;
  const cells = voronoi(featureCollection(seeds.map((s) => point([s[0], s[1]]))), {
    bbox: [x0 - pad, y0 - pad, x1 + pad, y1 + pad],
  });
  return cells.features.map((cell, i) => {
    if (!cell) throw new Error(`partitionPolygon: no Voronoi cell for seed ${i}`);
    return clipToConvex(parent, cell.geometry.coordinates[0] as Ring);
  });
}
