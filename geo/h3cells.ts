/**
 * H3 hexagonal cells (h3-js) as the planner's aggregation units: the conversions between the
 * index string and the 64-bit integer kept in the database, the cell of a [lon, lat] position, the
 * k-ring neighbourhoods inside a study area for Gi* (hotspots.ts), and a cell's outline for GeoJSON.
 *
 * @example
 * const cell = cellOf([103.83, 36.06], 8); // a cell in Lanzhou, '8824d2a9c1fffff'
 * h3ToBigint(cell); // the same index as a bigint, what PostgreSQL keeps in an int8 column
 * neighbourhood([cell, ...otherCells], 1); // per cell, the indices of its adjacent cells in the list
 */
import { cellToBoundary, gridDisk, latLngToCell } from 'h3-js';

/** The resolutions the planner works at: ~5 km², ~0.7 km² and ~0.1 km² hexagons. */
export const H3_RESOLUTIONS = [7, 8, 9] as const;
export type H3Res = (typeof H3_RESOLUTIONS)[number];

const MAX_INDEX = (1n << 64n) - 1n;

/**
 * The 64-bit integer of an H3 index string (lowercase or uppercase hex, as h3-js writes it). Valid
 * cell indexes have the top bit clear, so they also fit PostgreSQL's signed int8.
 *
 * @throws RangeError for a string that is not 1–16 hex digits.
 * @example
 * h3ToBigint('8824d2a9c1fffff'); // 613137344679116799n
 */
export function h3ToBigint(h: string): bigint {
  if (!/^[0-9a-f]{1,16}$/i.test(h)) throw new RangeError(`not an H3 index: ${JSON.stringify(h)}`);
  return BigInt(`0x${h}`);
}

/**
 * The H3 index string of a 64-bit integer: lowercase hex without leading zeros, as h3-js writes it.
 *
 * @throws RangeError for a negative integer or one wider than 64 bits.
 * @example
 * bigintToH3(613137344679116799n); // '8824d2a9c1fffff'
 */
export function bigintToH3(b: bigint): string {
  if (b < 0n || b > MAX_INDEX) throw new RangeError(`not a 64-bit H3 index: ${b}`);
  return b.toString(16);
}

/**
 * The cell holding a [lon, lat] position (WGS-84) at a resolution. h3-js itself takes (lat, lng):
 * this is the one place that order is swapped.
 */
export function cellOf(position: readonly [number, number], res: number): string {
  return latLngToCell(position[1], position[0], res);
}

/**
 * For each cell, the indices (into `cells`) of the other cells of `cells` within k rings of it
 * (H3 gridDisk, the cell itself left out). The list is the study area: a cell outside it is not a
 * neighbour, so a cell on the edge of the area simply has fewer neighbours. The relation is
 * symmetric. O(n·|disk|) through a map from cell to index; each list is in gridDisk's order.
 *
 * @throws RangeError when k is not a non-negative integer or a cell appears twice.
 */
export function neighbourhood(cells: readonly string[], k: number): number[][] {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a non-negative integer: ${k}`);
  const index = new Map<string, number>();
  cells.forEach((cell, i) => {
    if (index.has(cell)) throw new RangeError(`cell ${cell} appears twice in the study area`);
    index.set(cell, i);
  });
  return cells.map((cell, i) => {
    const out: number[] = [];
    for (const other of gridDisk(cell, k)) {
      const j = index.get(other);
      if (j !== undefined && j !== i) out.push(j);
    }
    return out;
  });
}

/**
 * The outline of a cell as a closed GeoJSON ring of [lon, lat] positions (first position repeated
 * at the end): 6 corners for a hexagon, up to 10 where a cell crosses an icosahedron face edge.
 */
export function cellBoundary(h: string): [number, number][] {
  return cellToBoundary(h, true).map(([lon, lat]) => [lon, lat]);
}
