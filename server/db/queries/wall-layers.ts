/**
 * The wall's map layers (/api/wall/layers/*), each packed in SQL into one value (columns of JSON,
 * a GeoJSON text or a bytea) so that a layer crosses PGlite's WASM boundary as one cell. Places
 * and aggregates only: no person, code, title or free text leaves these queries.
 */
import { sql, type RawBuilder } from 'kysely';
import { beijingMidnight, splitRange, type DateSpan } from '../../../geo/periods.ts';
import { TRACKS_MAGIC } from '../../../geo/twkb.ts';
import { keysOf, HAZARD_SEVERITIES } from '../../../geo/vocabulary.ts';
import type { Db } from '../client.ts';
import { OPEN_TICKET } from './areas.ts';
import { spans } from './rollups.ts';
import { WHISTLE_STATE } from './whistles.ts';

/** Degrees to 5 decimals (about 1 m), as JSON numbers. */
const deg = (v: RawBuilder<unknown>) => sql`round((${v})::numeric, 5)`;

/**
 * An int as 4 little-endian bytes. int4send writes big-endian, so the bytes are swapped first
 * (shifts and masks on int4 never overflow in PostgreSQL: the bits simply wrap).
 */
export function uint32le(v: RawBuilder<unknown>): RawBuilder<Uint8Array> {
  return sql`int4send((((${v})::int4 & 255) << 24) | ((((${v})::int4 >> 8) & 255) << 16)
    | ((((${v})::int4 >> 16) & 255) << 8) | (((${v})::int4 >> 24) & 255))`;
}

export interface HazardColumns {
  lon: number[];
  lat: number[];
  severity: number[];
  overdue: number[];
}

/**
 * Open hazards (not yet verified): position, severity 0 low … 3 critical and overdue (past the
 * rectification deadline and not rectified, as the wall's summary counts it).
 */
export async function openHazards(db: Db): Promise<HazardColumns> {
  const r = await sql<{ c: HazardColumns }>`
    SELECT json_build_object(
      'lon', coalesce(json_agg(${deg(sql`ST_X(h.geom)`)} ORDER BY h.id), '[]'),
      'lat', coalesce(json_agg(${deg(sql`ST_Y(h.geom)`)} ORDER BY h.id), '[]'),
      'severity', coalesce(json_agg(array_position(${keysOf(HAZARD_SEVERITIES)}::text[], h.severity) - 1 ORDER BY h.id), '[]'),
      'overdue', coalesce(json_agg((h.due_at < now() AND h.rectified_at IS NULL)::int ORDER BY h.id), '[]')
    ) AS c
    FROM hazards h WHERE h.status <> 'verified'`.execute(db.kysely);
  return r.rows[0]!.c;
}

export interface WhistleColumns {
  fromLon: number[];
  fromLat: number[];
  toLon: number[];
  toLat: number[];
  state: number[];
}

/**
 * Unresolved whistles as arcs: from the label point of the area that blew (its subdistrict or
 * community) to the whistle's position; state 0 awaiting report-in, 1 report-in late, 2 every
 * body reported in.
 */
export async function openWhistles(db: Db): Promise<WhistleColumns> {
  const r = await sql<{ c: WhistleColumns }>`
    WITH w AS (
      SELECT w.id, w.geom, a.label_point AS origin,
        CASE ${WHISTLE_STATE} WHEN 'awaiting_report' THEN 0 WHEN 'report_late' THEN 1 ELSE 2 END AS state
      FROM whistles w
      JOIN areas a ON a.id = CASE WHEN w.level = 'subdistrict' THEN w.subdistrict_id ELSE w.community_id END
      WHERE w.resolved_at IS NULL
    )
    SELECT json_build_object(
      'fromLon', coalesce(json_agg(${deg(sql`ST_X(origin)`)} ORDER BY id), '[]'),
      'fromLat', coalesce(json_agg(${deg(sql`ST_Y(origin)`)} ORDER BY id), '[]'),
      'toLon', coalesce(json_agg(${deg(sql`ST_X(geom)`)} ORDER BY id), '[]'),
      'toLat', coalesce(json_agg(${deg(sql`ST_Y(geom)`)} ORDER BY id), '[]'),
      'state', coalesce(json_agg(state ORDER BY id), '[]')
    ) AS c FROM w`.execute(db.kysely);
  return r.rows[0]!.c;
}

/** Open tickets per H3 cell at `res` (their res-9 cell's parent), as two columns. */
export async function openTicketCells(
  db: Db,
  res: number,
): Promise<{ cells: string[]; values: number[] }> {
  const r = await sql<{ c: { cells: string[]; values: number[] } }>`
    SELECT json_build_object(
      'cells', coalesce(json_agg(to_hex(h3) ORDER BY h3), '[]'),
      'values', coalesce(json_agg(n ORDER BY h3), '[]')) AS c
    FROM (SELECT h3_parent(t.h3, ${res}) AS h3, count(*)::int AS n FROM tickets t
      WHERE ${OPEN_TICKET} AND t.h3 IS NOT NULL GROUP BY 1) s`.execute(db.kysely);
  return r.rows[0]!.c;
}

/**
 * Compound outlines (simplified to about 2 m, 5 decimals) with the colour of the latest rating
 * period as `c` (0 red, 1 yellow, 2 blue), as one GeoJSON FeatureCollection text. Compounds
 * without a rating in that period are left out.
 */
export async function ratedCompounds(db: Db): Promise<string> {
  const r = await sql<{ fc: string }>`
    SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
      'type', 'Feature',
      'geometry', ST_AsGeoJSON(ST_SimplifyPreserveTopology(a.geom, 0.00002), 5)::json,
      'properties', json_build_object('c', CASE cr.color WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 ELSE 2 END)
    ) ORDER BY a.id), '[]'))::text AS fc
    FROM compound_ratings cr JOIN areas a ON a.id = cr.compound_id
    WHERE cr.period = (SELECT max(period) FROM compound_ratings)`.execute(db.kysely);
  return r.rows[0]!.fc;
}

/**
 * Tickets (all categories, rejected duplicates excluded, as the rollups keep them) per res-9 cell
 * over whole Beijing days [from, to), from the month and day cell rollups alone: `cells` holds
 * per cell its index (int8) then its count (int4), both big-endian, ascending by cell.
 */
export async function heatCells(
  db: Db,
  days: DateSpan,
): Promise<{ cells: Uint8Array; total: number }> {
  const split = splitRange(beijingMidnight(days.from), beijingMidnight(days.to));
  const date = sql`::date`;
  const r = await sql<{ cells: Uint8Array; total: number }>`
    SELECT coalesce(string_agg(int8send(h3) || int4send(n), ''::bytea ORDER BY h3), ''::bytea) AS cells,
      coalesce(sum(n), 0)::int AS total
    FROM (SELECT h3, sum(n)::int AS n FROM (
      SELECT r.h3, r.n FROM ticket_cell_months r
      WHERE r.res = 9 AND r.category = '*' AND ${spans('r.month', split.months ? [split.months] : [], date)}
      UNION ALL
      SELECT r.h3, r.n FROM ticket_cell_days r
      WHERE r.res = 9 AND r.category = '*' AND ${spans('r.day', split.days, date)}
    ) u GROUP BY h3 HAVING sum(n) > 0) c`.execute(db.kysely);
  return r.rows[0]!;
}

/**
 * The patrol tracks started in [from, to), in the MQTR format of server/contract/wall.ts: magic
 * and track count (uint32 little-endian), then per track (by id) its 2D TWKB at 5 decimals behind
 * its byte length (uint32 little-endian). Patrols without a track (one point so far) are skipped.
 */
export async function packedTracks(db: Db, from: Date, to: Date): Promise<Uint8Array> {
  const r = await sql<{ bin: Uint8Array }>`
    WITH p AS (
      SELECT p.id, ST_AsTWKB(ST_Force2D(p.track), 5) AS b FROM patrols p
      WHERE p.started_at >= ${from} AND p.started_at < ${to} AND p.track IS NOT NULL
    )
    SELECT ${uint32le(sql`${TRACKS_MAGIC}`)} || ${uint32le(sql`(SELECT count(*) FROM p)`)}
      || coalesce((SELECT string_agg(${uint32le(sql`length(b)`)} || b, ''::bytea ORDER BY id) FROM p), ''::bytea) AS bin`.execute(
    db.kysely,
  );
  return r.rows[0]!.bin;
}

/**
 * The same tracks as GeoJSON geometries at 6 decimals, as the patrol layer writes them, with no
 * properties: the bench's like-for-like baseline for the packed format.
 */
export async function tracksGeoJson(db: Db, from: Date, to: Date): Promise<string> {
  const r = await sql<{ fc: string }>`
    SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
      'type', 'Feature', 'geometry', ST_AsGeoJSON(p.track, 6)::json, 'properties', json_build_object()
    ) ORDER BY p.id), '[]'))::text AS fc
    FROM patrols p WHERE p.started_at >= ${from} AND p.started_at < ${to} AND p.track IS NOT NULL`.execute(
    db.kysely,
  );
  return r.rows[0]!.fc;
}
