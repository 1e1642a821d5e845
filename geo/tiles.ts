/**
 * Web-Mercator tile math for the vector tiles (/tiles) and the pure half of their JavaScript
 * encoding: which z/x/y are valid, a tile's box in EPSG:3857 and EPSG:4326, the tile grid the
 * geometries are quantised to, the simplification tolerance per zoom, and turning the database's
 * tile-space GeoJSON into the feature objects `@maplibre/vt-pbf` writes.
 *
 * @example
 * tileBounds3857(10, 843, 397); // [west, south, east, north] in metres
 * tileBounds4326(10, 843, 397); // the same box in degrees, for an index filter on SRID 4326
 */

/** Half the width of the Web-Mercator square, in metres (EPSG:3857's bounds). */
export const MERCATOR_HALF = 20037508.342789244;

/** MVT grid units across a tile (the MVT default and ST_AsMVT's). */
export const TILE_EXTENT = 4096;

/** Grid units kept beyond each edge so that strokes and circles are not cut at the tile edge. */
export const TILE_BUFFER = 64;

/** A tile is drawn 256 CSS pixels wide (512 in MapLibre's own units; deck.gl uses 512 too). */
export const TILE_PIXELS = 256;

/** Grid units per screen pixel. */
export const UNITS_PER_PIXEL = TILE_EXTENT / TILE_PIXELS;

export type Box = [number, number, number, number];

export interface TileAddress {
  z: number;
  x: number;
  y: number;
}

/** Why a z/x/y is not a tile of the pyramid up to `maxzoom`, or null when it is one. */
export function tileProblem(t: TileAddress, maxzoom: number): string | null {
  const { z, x, y } = t;
  if (!Number.isInteger(z) || z < 0) return `z must be a whole number from 0 to ${maxzoom}`;
  if (z > maxzoom) return `z ${z} is beyond this layer's maxzoom ${maxzoom}`;
  const n = 2 ** z;
  if (!Number.isInteger(x) || x < 0 || x >= n) return `x must be a whole number from 0 to ${n - 1}`;
  if (!Number.isInteger(y) || y < 0 || y >= n) return `y must be a whole number from 0 to ${n - 1}`;
  return null;
}

/** The tile's box in EPSG:3857 metres: [west, south, east, north] (y counts down from the north). */
export function tileBounds3857({ z, x, y }: TileAddress): Box {
  const size = (2 * MERCATOR_HALF) / 2 ** z;
  const west = -MERCATOR_HALF + x * size;
  const north = MERCATOR_HALF - y * size;
  return [west, north - size, west + size, north];
}

const lonOf = (mx: number) => (mx / MERCATOR_HALF) * 180;
const latOf = (my: number) =>
  (Math.atan(Math.exp((my / MERCATOR_HALF) * Math.PI)) * 360) / Math.PI - 90;

/** The tile's box in degrees (EPSG:4326), for a `&&` filter on an indexed SRID-4326 column. */
export function tileBounds4326(t: TileAddress, bufferUnits = 0): Box {
  const b = bufferBox(tileBounds3857(t), bufferUnits);
  return [lonOf(b[0]), latOf(b[1]), lonOf(b[2]), latOf(b[3])];
}

/** A 3857 box grown by `units` tile-grid units on each side. */
export function bufferBox(b: Box, units: number): Box {
  const m = ((b[2] - b[0]) / TILE_EXTENT) * units;
  return [b[0] - m, b[1] - m, b[2] + m, b[3] + m];
}

/** Metres of one screen pixel at zoom z (on the Mercator plane, not the ground). */
export function pixelMetres(z: number): number {
  return (2 * MERCATOR_HALF) / 2 ** z / TILE_PIXELS;
}

/**
 * Simplification tolerance in grid units: a quarter of a pixel, below what the eye sees, yet it
 * takes a district outline at zoom 8 from thousands of vertices to a few hundred.
 */
export const SIMPLIFY_UNITS = UNITS_PER_PIXEL / 4;

/**
 * The affine map from EPSG:3857 metres to the tile grid (x right, y down), as PostGIS ST_Affine's
 * 2D arguments [a, b, d, e, xoff, yoff]: x' = a·x + b·y + xoff, y' = d·x + e·y + yoff.
 */
export function tileAffine(t: TileAddress): [number, number, number, number, number, number] {
  const [west, , east, north] = tileBounds3857(t);
  const s = TILE_EXTENT / (east - west);
  return [s, 0, 0, -s, -west * s, north * s];
}

/** A point of EPSG:3857 in grid units of the tile, rounded to the grid (the quantisation). */
export function toTileGrid(t: TileAddress, [mx, my]: [number, number]): [number, number] {
  const [a, , , e, xoff, yoff] = tileAffine(t);
  return [Math.round(a * mx + xoff), Math.round(e * my + yoff)];
}

/** Lon/lat to EPSG:3857 metres. */
export function lonLatTo3857([lon, lat]: [number, number]): [number, number] {
  const y = Math.log(Math.tan(((90 + lat) * Math.PI) / 360)) / (Math.PI / 180);
  return [(lon * MERCATOR_HALF) / 180, (y * MERCATOR_HALF) / 180];
}

/** The tile holding a lon/lat at zoom z. */
export function tileOf([lon, lat]: [number, number], z: number): TileAddress {
  const n = 2 ** z;
  const [mx, my] = lonLatTo3857([lon, lat]);
  const x = Math.floor(((mx + MERCATOR_HALF) / (2 * MERCATOR_HALF)) * n);
  const y = Math.floor(((MERCATOR_HALF - my) / (2 * MERCATOR_HALF)) * n);
  return { z, x: Math.min(n - 1, Math.max(0, x)), y: Math.min(n - 1, Math.max(0, y)) };
}

/**
 * Twice the signed area of a ring in grid units (positive: clockwise on screen, y down), the
 * sign MVT 2.1 reads to tell exterior rings (positive) from holes (negative).
 */
export function ringArea2(ring: readonly (readonly [number, number])[]): number {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    s += ring[j]![0] * ring[i]![1] - ring[i]![0] * ring[j]![1];
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// The JavaScript encoder's pure half (PGlite has no protobuf: the database hands over the
// clipped, quantised geometries in tile space as GeoJSON, and @maplibre/vt-pbf writes them).

type Pos = [number, number];
export type TileGeometry =
  | { type: 'Point'; coordinates: Pos }
  | { type: 'MultiPoint'; coordinates: Pos[] }
  | { type: 'LineString'; coordinates: Pos[] }
  | { type: 'MultiLineString'; coordinates: Pos[][] }
  | { type: 'Polygon'; coordinates: Pos[][] }
  | { type: 'MultiPolygon'; coordinates: Pos[][][] }
  | { type: 'GeometryCollection'; geometries: TileGeometry[] };

/** A feature as the database packs it: id, tile-space geometry, properties (nulls dropped later). */
export interface PackedTileFeature {
  id: number;
  g: TileGeometry;
  p: Record<string, string | number | boolean | null>;
}

/** A feature in the shape `@maplibre/vt-pbf`'s `fromGeojsonVt` writes (geojson-vt's tile). */
export interface VtFeature {
  id: number;
  /** 1 point, 2 line, 3 polygon. */
  type: 1 | 2 | 3;
  geometry: Pos[] | Pos[][];
  tags: Record<string, string | number | boolean>;
}

/**
 * Turns one packed feature into a vt-pbf feature, or null when nothing drawable is left. Polygon
 * rings lose their closing point (MVT closes them with ClosePath), as ST_AsMVT writes them; a
 * GeometryCollection (what a clip can leave) keeps its parts of the leading type.
 */
export function vtFeature(f: PackedTileFeature): VtFeature | null {
  const tags: VtFeature['tags'] = {};
  for (const [k, v] of Object.entries(f.p)) if (v !== null && v !== undefined) tags[k] = v;
  const parts = flatten(f.g);
  const kind = parts[0]?.type;
  if (!kind) return null;
  if (kind === 'Point') {
    const geometry = parts.flatMap((p) => (p.type === 'Point' ? [p.coordinates] : []));
    return { id: f.id, type: 1, geometry, tags };
  }
  if (kind === 'LineString') {
    const geometry = parts.flatMap((p) => (p.type === 'LineString' ? [p.coordinates] : []));
    return { id: f.id, type: 2, geometry, tags };
  }
  const rings: Pos[][] = [];
  for (const p of parts) {
    if (p.type !== 'Polygon') continue;
    for (const ring of p.coordinates) {
      const open = ring.slice(0, -1);
      if (open.length >= 3) rings.push(open);
    }
  }
  return rings.length === 0 ? null : { id: f.id, type: 3, geometry: rings, tags };
}

type Simple =
  | { type: 'Point'; coordinates: Pos }
  | { type: 'LineString'; coordinates: Pos[] }
  | { type: 'Polygon'; coordinates: Pos[][] };

function flatten(g: TileGeometry): Simple[] {
  switch (g.type) {
    case 'Point':
    case 'LineString':
    case 'Polygon':
      return [g];
    case 'MultiPoint':
      return g.coordinates.map((coordinates) => ({ type: 'Point', coordinates }));
    case 'MultiLineString':
      return g.coordinates.map((coordinates) => ({ type: 'LineString', coordinates }));
    case 'MultiPolygon':
      return g.coordinates.map((coordinates) => ({ type: 'Polygon', coordinates }));
    case 'GeometryCollection':
      return g.geometries.flatMap(flatten);
  }
}
