/**
 * Vector tiles (MVT 2.1) of the areas, the compounds and the open tickets. Every layer is one
 * query that clips, simplifies and quantises the geometries to the tile's 4096-unit grid the same
 * way on both databases; only the last step differs: PostgreSQL encodes with ST_AsMVT, PGlite
 * (built without protobuf: ST_AsMVT and ST_AsMVTGeom fail there) hands the tile-space geometries
 * over as one JSON value per layer, which @maplibre/vt-pbf encodes. So both answer the same
 * features with the same fields.
 *
 * The index filter is `geom && <the tile envelope transformed to 4326>`: the indexed column is
 * never transformed.
 */
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import { sql, type RawBuilder } from 'kysely';
import {
  SIMPLIFY_UNITS,
  TILE_BUFFER,
  TILE_EXTENT,
  UNITS_PER_PIXEL,
  tileAffine,
  vtFeature,
  type PackedTileFeature,
  type TileAddress,
  type VtFeature,
} from '../../../geo/tiles.ts';
import { TICKET_CATEGORIES, type AreaLevel } from '../../../geo/vocabulary.ts';
import type { Db } from '../client.ts';
import { OPEN_TICKET } from './areas.ts';

/** One source-layer of a tile: its name and the rows (fid, geom in tile space, fields…). */
interface TileLayerQuery {
  name: string;
  features: RawBuilder<unknown>;
}

/** The tile's envelope in 4326, grown by the buffer: what the `&&` index filters compare with. */
function envelope4326(t: TileAddress, bufferUnits: number) {
  return sql`ST_Transform(ST_TileEnvelope(${t.z}::int, ${t.x}::int, ${t.y}::int, margin => ${bufferUnits / TILE_EXTENT}::float8), 4326)`;
}

/** The buffered tile envelope in 3857, to clip with before moving to the tile grid. */
function clipBox(t: TileAddress) {
  return sql`ST_TileEnvelope(${t.z}::int, ${t.x}::int, ${t.y}::int, margin => ${TILE_BUFFER / TILE_EXTENT}::float8)::box2d`;
}

/** A 3857 geometry moved to the tile grid (x right, y down), not yet quantised. */
function toGrid(t: TileAddress, g3857: RawBuilder<unknown>) {
  const [a, b, d, e, xoff, yoff] = tileAffine(t);
  return sql`ST_Affine(${g3857}, ${a}::float8, ${b}::float8, ${d}::float8, ${e}::float8, ${xoff}::float8, ${yoff}::float8)`;
}

/**
 * A 4326 polygon as drawn in the tile: clipped to the buffered tile, simplified below a quarter
 * pixel, snapped to the integer grid, exterior rings clockwise on screen (MVT 2.1), polygons only.
 */
function tilePolygon(t: TileAddress, geom4326: RawBuilder<unknown>) {
  const clipped = sql`ST_ClipByBox2D(ST_Transform(${geom4326}, 3857), ${clipBox(t)})`;
  return sql`ST_ForcePolygonCCW(ST_CollectionExtract(ST_SnapToGrid(ST_Simplify(${toGrid(t, clipped)}, ${SIMPLIFY_UNITS}::float8), 1), 3))`;
}

/** A 4326 point in the tile grid, or NULL outside the buffered tile. */
function tilePoint(t: TileAddress, point4326: RawBuilder<unknown>) {
  const p = sql`ST_SnapToGrid(${toGrid(t, sql`ST_Transform(${point4326}, 3857)`)}, 1)`;
  const lo = -TILE_BUFFER;
  const hi = TILE_EXTENT + TILE_BUFFER;
  return sql`(SELECT q FROM (SELECT ${p} AS q) pt
    WHERE ST_X(q) BETWEEN ${lo}::float8 AND ${hi}::float8 AND ST_Y(q) BETWEEN ${lo}::float8 AND ${hi}::float8)`;
}

/** Drawable: not empty and, for polygons, at least one pixel of area. */
const drawable = (g: RawBuilder<unknown>) =>
  sql`(${g} IS NOT NULL AND NOT ST_IsEmpty(${g}) AND (ST_Dimension(${g}) < 2 OR ST_Area(${g}) >= ${UNITS_PER_PIXEL * UNITS_PER_PIXEL}::float8))`;

/** The tile: each layer encoded and the layers concatenated (an MVT is a sequence of layers). */
async function encode(db: Db, layers: TileLayerQuery[]): Promise<Uint8Array> {
  if (db.kind === 'postgres') {
    const parts: Uint8Array[] = [];
    for (const l of layers) {
      const r = await sql<{ mvt: Uint8Array | null }>`
        SELECT ST_AsMVT(f, ${l.name}::text, ${TILE_EXTENT}::int, 'geom', 'fid') AS mvt
        FROM (${l.features}) f`.execute(db.kysely);
      const mvt = r.rows[0]?.mvt;
      if (mvt && mvt.byteLength > 0) parts.push(mvt);
    }
    return concat(parts);
  }
  const vt: Record<string, { features: VtFeature[] }> = {};
  for (const l of layers) {
    const features = await packedFeatures(db, l.features);
    const list = features.map(vtFeature).filter((f): f is VtFeature => f !== null);
    if (list.length > 0) vt[l.name] = { features: list };
  }
  if (Object.keys(vt).length === 0) return new Uint8Array(0);
  return fromGeojsonVt(vt as never, { version: 2, extent: TILE_EXTENT });
}

/**
 * The rows of a layer as one JSON value (rows crossing PGlite's WASM boundary are dear): the
 * fields are every column but `geom` and `fid`, exactly what ST_AsMVT makes of the same rows.
 */
async function packedFeatures(db: Db, features: RawBuilder<unknown>): Promise<PackedTileFeature[]> {
  const r = await sql<{ fs: string | null }>`
    SELECT json_agg(json_build_object('id', f.fid, 'g', ST_AsGeoJSON(f.geom, 0)::json,
      'p', to_jsonb(f) - 'geom' - 'fid'))::text AS fs
    FROM (${features}) f`.execute(db.kysely);
  const fs = r.rows[0]?.fs;
  return fs ? (JSON.parse(fs) as PackedTileFeature[]) : [];
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** The latest month's colours (one index probe). */
const LATEST_PERIOD = sql`(SELECT max(period) FROM compound_ratings)`;

/** One area's or compound's figures: its box (to find it from a tile) and what the map shows. */
export interface AreaFigures {
  id: number;
  level: AreaLevel;
  box: [number, number, number, number];
  /** [households, compounds, rating, score, open tickets, overdue tickets] */
  values: [number, number, string | null, number | null, number, number];
}

/**
 * Every area's and compound's figures, city-wide, in one pass: counting a district's open
 * tickets inside each of its tiles would read the district's every ticket per tile; this reads
 * the open ones once (the partial index `tickets_open_idx`), and the service caches it for all
 * tiles, handing each tile query the figures of the areas near it (see `figuresJson`).
 */
export async function areaFigures(db: Db): Promise<AreaFigures[]> {
  const r = await sql<{ j: string }>`
    WITH c AS (
      SELECT unnest(a.path) AS area_id, cp.households, cr.color, cr.score
      FROM areas a JOIN compounds cp ON cp.area_id = a.id
      LEFT JOIN compound_ratings cr ON cr.compound_id = a.id AND cr.period = ${LATEST_PERIOD}
      WHERE a.level = 'compound'
    ), r AS (
      SELECT area_id, sum(households)::int AS households, count(*)::int AS compounds,
        CASE WHEN count(color) = 0 THEN NULL
          WHEN count(*) FILTER (WHERE color = 'red') * 4 >= count(color) THEN 'red'
          WHEN count(*) FILTER (WHERE color IN ('red', 'yellow')) * 2 >= count(color) THEN 'yellow'
          ELSE 'blue' END AS rating,
        round(avg(score)::numeric, 1)::float8 AS score
      FROM c GROUP BY 1
    ), o AS (
      SELECT area_id, count(*)::int AS open, count(*) FILTER (WHERE late)::int AS overdue
      FROM (SELECT unnest(ARRAY[t.district_id, t.subdistrict_id, t.community_id, t.grid_id, t.compound_id]) AS area_id,
              t.due_at < now() AS late
            FROM tickets t WHERE ${OPEN_TICKET}) x
      WHERE area_id IS NOT NULL GROUP BY 1
    )
    SELECT coalesce(json_agg(json_build_object('id', a.id, 'level', a.level,
      'box', json_build_array(ST_XMin(a.geom), ST_YMin(a.geom), ST_XMax(a.geom), ST_YMax(a.geom)),
      'values', json_build_array(coalesce(r.households, 0), coalesce(r.compounds, 0), r.rating,
        r.score, coalesce(o.open, 0), coalesce(o.overdue, 0)))), '[]')::text AS j
    FROM areas a LEFT JOIN r ON r.area_id = a.id LEFT JOIN o ON o.area_id = a.id`.execute(
    db.kysely,
  );
  return JSON.parse(r.rows[0]!.j) as AreaFigures[];
}

/** The figures of one level's areas that meet `box`, as the JSON object the tile queries read. */
export function figuresJson(
  all: readonly AreaFigures[],
  level: AreaLevel,
  [w, s, e, n]: readonly number[],
): string {
  const out: Record<number, AreaFigures['values']> = {};
  for (const f of all) {
    if (f.level !== level) continue;
    const b = f.box;
    if (b[0] <= e! && b[2] >= w! && b[1] <= n! && b[3] >= s!) out[f.id] = f.values;
  }
  return JSON.stringify(out);
}

/**
 * The figures of row `s` from the bound figures object (a jsonb, looked up by key). The parameter
 * is bound as text: bound straight as jsonb, postgres.js would encode the string as a JSON string.
 */
const figure = (i: number, type: 'int' | 'float8' | 'text') =>
  type === 'text'
    ? sql`(fg.j -> s.id::text ->> ${i}::int)`
    : sql`(fg.j -> s.id::text ->> ${i}::int)::${sql.raw(type)}`;

/**
 * The areas of the given levels that meet the tile, one source-layer per level, with the roll-up
 * of their compounds' latest colours (as the map rolls them up), households, compounds and open
 * and overdue tickets (from `figures`, see areaFigures).
 */
function areaLayer(
  t: TileAddress,
  level: Exclude<AreaLevel, 'compound'>,
  figures: string,
): TileLayerQuery {
  const g = tilePolygon(t, sql.ref('s.geom'));
  return {
    name: level,
    features: sql`
      WITH s AS (
        SELECT a.id, a.level, a.name, a.code, a.parent_id, a.geom FROM areas a
        WHERE a.level = ${level} AND a.geom && ${envelope4326(t, TILE_BUFFER)}
      ), fg AS (SELECT ${figures}::text::jsonb AS j), f AS (
        SELECT s.id AS fid, ${g} AS geom, s.id, s.level, s.name, s.code, s.parent_id AS "parentId",
          coalesce(${figure(0, 'int')}, 0) AS households, coalesce(${figure(1, 'int')}, 0) AS compounds,
          ${figure(2, 'text')} AS rating, ${figure(3, 'float8')} AS score,
          coalesce(${figure(4, 'int')}, 0) AS "openTickets",
          coalesce(${figure(5, 'int')}, 0) AS "overdueTickets"
        FROM s CROSS JOIN fg
      )
      SELECT * FROM f WHERE ${drawable(sql.ref('f.geom'))} ORDER BY fid`,
  };
}

/** `figures(level)`: that level's figures near the tile (see figuresJson). */
export function areasTile(
  db: Db,
  t: TileAddress,
  levels: Exclude<AreaLevel, 'compound'>[],
  figures: (level: AreaLevel) => string,
) {
  return encode(
    db,
    levels.map((l) => areaLayer(t, l, figures(l))),
  );
}

/**
 * Compounds that meet the tile with their latest colour, score and facts. A compound under
 * `minPixels` across at this zoom is its label point instead of a polygon, so the city's state
 * still reads at low zooms (the map's rating dots) without sub-pixel polygons.
 */
export function compoundsTile(db: Db, t: TileAddress, minPixels: number, figures: string) {
  const minUnits = minPixels * UNITS_PER_PIXEL;
  const poly = tilePolygon(t, sql.ref('s.geom'));
  const point = tilePoint(t, sql.ref('s.label_point'));
  return encode(db, [
    {
      name: 'compounds',
      features: sql`
        WITH s AS (
          SELECT a.id, a.name, a.code, a.parent_id, a.geom, a.label_point, c.year_built,
            c.households, c.buildings_count, c.has_elevator, c.parking_spaces,
            (SELECT greatest(ST_XMax(b) - ST_XMin(b), ST_YMax(b) - ST_YMin(b))
               FROM (SELECT ${toGrid(t, sql`ST_Transform(ST_Envelope(a.geom), 3857)`)} AS b) e) AS span
          FROM areas a JOIN compounds c ON c.area_id = a.id
          WHERE a.level = 'compound' AND a.geom && ${envelope4326(t, TILE_BUFFER)}
        ), fg AS (SELECT ${figures}::text::jsonb AS j), f AS (
          SELECT s.id AS fid,
            CASE WHEN s.span >= ${minUnits}::float8 THEN ${poly} ELSE ${point} END AS geom,
            s.id, s.name, s.code, s.parent_id AS "parentId", ${figure(2, 'text')} AS rating,
            ${figure(3, 'float8')} AS score, s.year_built AS "yearBuilt",
            s.households, s.buildings_count AS buildings, s.has_elevator AS "hasElevator",
            s.parking_spaces AS "parkingSpaces",
            coalesce(${figure(4, 'int')}, 0) AS "openTickets",
            coalesce(${figure(5, 'int')}, 0) AS "overdueTickets"
          FROM s CROSS JOIN fg
        )
        SELECT * FROM f WHERE ${drawable(sql.ref('f.geom'))} ORDER BY fid`,
    },
  ]);
}

/** Ticket counts per square cell of this many grid units (16 px): a 16 × 16 grid per tile. */
export const TICKET_CELL_UNITS = 256;

/**
 * Open tickets that `scope` lets the caller read, counted per square cell of the tile (a point at
 * the cell's centre), in total, overdue, and per category (`c_<category>`).
 */
export function ticketsTile(db: Db, t: TileAddress, scope: RawBuilder<boolean>) {
  const cell = TICKET_CELL_UNITS;
  const perCell = TILE_EXTENT / cell;
  const byCategory = sql.join(
    TICKET_CATEGORIES.map(
      (c) => sql`count(*) FILTER (WHERE p.category = ${c.key})::int AS ${sql.id(`c_${c.key}`)}`,
    ),
  );
  return encode(db, [
    {
      name: 'tickets',
      features: sql`
        WITH p AS (
          SELECT ${toGrid(t, sql`ST_Transform(t.geom, 3857)`)} AS g, t.category,
            t.due_at < now() AS late
          FROM tickets t
          WHERE ${OPEN_TICKET} AND t.geom && ${envelope4326(t, 0)} AND ${scope}
        ), c AS (
          SELECT least(greatest(floor(ST_X(p.g) / ${cell}::float8), 0), ${perCell - 1}::float8)::int AS cx,
            least(greatest(floor(ST_Y(p.g) / ${cell}::float8), 0), ${perCell - 1}::float8)::int AS cy,
            count(*)::int AS count, count(*) FILTER (WHERE p.late)::int AS overdue, ${byCategory}
          FROM p GROUP BY 1, 2
        )
        SELECT (c.cy * ${perCell}::int + c.cx) AS fid,
          ST_MakePoint(c.cx * ${cell}::float8 + ${cell / 2}::float8, c.cy * ${cell}::float8 + ${cell / 2}::float8) AS geom,
          c.*
        FROM c ORDER BY fid`,
    },
  ]);
}
