import { sql, type RawBuilder } from 'kysely';
import type { AreaLevel } from '../../../geo/vocabulary.ts';
import type { Db } from '../client.ts';
import { envelope, simplifyTolerance } from '../postgis.ts';
import type { Bbox, TimeRange } from '../../validation.ts';

/** The ticket/hazard column that holds the id of an area of each level. */
const AREA_COLUMN: Record<AreaLevel, string> = {
  district: 'district_id',
  subdistrict: 'subdistrict_id',
  community: 'community_id',
  grid: 'grid_id',
  compound: 'compound_id',
};

/** Position of an area's own id in the `path` of its descendants (1-based). */
export const AREA_DEPTH: Record<AreaLevel, number> = {
  district: 1,
  subdistrict: 2,
  community: 3,
  grid: 4,
  compound: 5,
};

/** Tickets still needing work; implies the partial index `tickets_open_idx`. */
export const OPEN_TICKET = sql`t.closed_at IS NULL AND t.status <> 'rejected_duplicate' AND t.status <> 'resolved'`;

/**
 * Rolls compound colours up to a larger area: red when a quarter or more of its compounds are
 * red, yellow when half or more are red or yellow, blue otherwise. Aggregates rows aliased `cr`.
 */
const ROLLUP_COLOR = sql<string | null>`CASE WHEN count(*) = 0 THEN NULL
    WHEN count(*) FILTER (WHERE cr.color = 'red') * 4 >= count(*) THEN 'red'
    WHEN (count(*) FILTER (WHERE cr.color = 'red') + count(*) FILTER (WHERE cr.color = 'yellow')) * 2 >= count(*) THEN 'yellow'
    ELSE 'blue' END`;

export async function findAreaLevel(db: Db, id: number): Promise<AreaLevel | undefined> {
  const row = await db.kysely
    .selectFrom('areas')
    .select('level')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.level;
}

/** The map's ticket filter, applied to counts: categories and channels (none: all). */
export interface TicketSlice {
  categories?: string[];
  channels?: string[];
}

/** Category and channel filters over rows aliased `alias` (tickets and rollups share the names). */
export function sliceOn(alias: string, f: TicketSlice | undefined): RawBuilder<unknown> {
  const parts = [sql`true`];
  if (f?.categories)
    parts.push(sql`${sql.ref(`${alias}.category`)} = ANY(${f.categories}::text[])`);
  if (f?.channels) parts.push(sql`${sql.ref(`${alias}.channel`)} = ANY(${f.channels}::text[])`);
  return sql.join(parts, sql` AND `);
}

export interface AreaListQuery {
  level: AreaLevel;
  parent?: number;
  bbox?: Bbox;
  zoom: number;
  /** Counts only these tickets. */
  slice?: TicketSlice;
  /** Counts only tickets received in this range (all open ones without it). */
  range?: TimeRange;
}

/** Areas of one level as a GeoJSON FeatureCollection, serialised inside the database. */
export async function listAreasGeoJson(db: Db, q: AreaListQuery): Promise<string> {
  const col = sql.ref(`t.${AREA_COLUMN[q.level]}`);
  const parentFilter = q.parent !== undefined ? sql`AND a.parent_id = ${q.parent}` : sql``;
  const bboxFilter = q.bbox ? sql`AND a.geom && ${envelope(q.bbox)}` : sql``;
  const rating =
    q.level === 'compound'
      ? sql`LEFT JOIN compound_ratings r ON r.compound_id = s.id AND r.period = (SELECT max(period) FROM compound_ratings)`
      : sql`LEFT JOIN (
          SELECT c.path[${AREA_DEPTH[q.level]}] AS area_id,
            ${ROLLUP_COLOR} AS color,
            avg(cr.score)::real AS score
          FROM areas c JOIN compound_ratings cr ON cr.compound_id = c.id
          WHERE c.level = 'compound' AND c.path[${AREA_DEPTH[q.level]}] IN (SELECT id FROM s)
            AND cr.period = (SELECT max(period) FROM compound_ratings)
          GROUP BY 1) r ON r.area_id = s.id`;
  const result = await sql<{ fc: string }>`
    WITH s AS (
      SELECT a.id, a.level, a.name, a.code, a.parent_id, a.geom, a.label_point
      FROM areas a WHERE a.level = ${q.level} ${parentFilter} ${bboxFilter}
    ), o AS (
      SELECT ${col} AS area_id, count(*)::int AS open,
             count(*) FILTER (WHERE t.due_at < now())::int AS overdue
      FROM tickets t WHERE ${OPEN_TICKET} AND ${col} IN (SELECT id FROM s)
        AND ${sliceOn('t', q.slice)} ${q.range ? sql`AND t.received_at >= ${q.range.from} AND t.received_at < ${q.range.to}` : sql``}
      GROUP BY 1
    )
    SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
      'type', 'Feature', 'id', s.id,
      'geometry', ST_AsGeoJSON(ST_SimplifyPreserveTopology(s.geom, ${simplifyTolerance(q.zoom)}), 6)::json,
      'properties', json_build_object(
        'id', s.id, 'level', s.level, 'name', s.name, 'code', s.code, 'parentId', s.parent_id,
        'label', json_build_array(round(ST_X(s.label_point)::numeric, 6), round(ST_Y(s.label_point)::numeric, 6)),
        'rating', r.color, 'score', round(r.score::numeric, 1),
        'openTickets', coalesce(o.open, 0), 'overdueTickets', coalesce(o.overdue, 0))
    ) ORDER BY s.id), '[]'::json))::text AS fc
    FROM s ${rating} LEFT JOIN o ON o.area_id = s.id`.execute(db.kysely);
  return result.rows[0]!.fc;
}

export interface AreaRow {
  id: number;
  level: AreaLevel;
  name: string;
  code: string | null;
  parentId: number | null;
  path: number[];
  bbox: [number, number, number, number];
  label: [number, number];
  childrenCount: number;
}

export async function findArea(db: Db, id: number): Promise<AreaRow | undefined> {
  const r = await sql<AreaRow>`
    SELECT a.id, a.level, a.name, a.code, a.parent_id AS "parentId", a.path,
      json_build_array(ST_XMin(a.geom), ST_YMin(a.geom), ST_XMax(a.geom), ST_YMax(a.geom)) AS bbox,
      json_build_array(ST_X(a.label_point), ST_Y(a.label_point)) AS label,
      (SELECT count(*)::int FROM areas c WHERE c.parent_id = a.id) AS "childrenCount"
    FROM areas a WHERE a.id = ${id}`.execute(db.kysely);
  return r.rows[0];
}

export async function findAncestors(db: Db, path: number[], self: number) {
  return db.kysely
    .selectFrom('areas')
    .select(['id', 'level', 'name', 'code'])
    .where('id', '=', sql<number>`ANY(${path}::int[])`)
    .where('id', '<>', self)
    .orderBy(sql`array_length(path, 1)`)
    .execute();
}

/** Restricts t (tickets or hazards) to an area's subtree; the whole city when no area is given. */
function areaFilter(area: { id: number; level: AreaLevel } | null, alias = 't') {
  return area ? sql`${sql.ref(`${alias}.${AREA_COLUMN[area.level]}`)} = ${area.id}` : sql`true`;
}

export interface TicketKpiRow {
  received: number;
  closed: number;
  open: number;
  overdue: number;
  closedOnTime: number;
  satisfaction: number | null;
}

/**
 * KPIs counted from the tickets themselves: what the rollups replace, kept as the baseline the
 * benchmark measures them against.
 */
export async function ticketKpisDirect(
  db: Db,
  area: { id: number; level: AreaLevel } | null,
  range: TimeRange,
  slice?: TicketSlice,
): Promise<TicketKpiRow> {
  const r = await sql<TicketKpiRow>`
    SELECT count(*)::int AS received,
      count(*) FILTER (WHERE t.closed_at IS NOT NULL)::int AS closed,
      count(*) FILTER (WHERE ${OPEN_TICKET})::int AS open,
      count(*) FILTER (WHERE ${OPEN_TICKET} AND t.due_at < now())::int AS overdue,
      count(*) FILTER (WHERE t.closed_at IS NOT NULL AND coalesce(t.resolved_at, t.closed_at) <= t.due_at)::int AS "closedOnTime",
      avg(t.satisfaction)::float8 AS satisfaction
    FROM tickets t
    WHERE ${areaFilter(area)} AND ${sliceOn('t', slice)}
      AND t.received_at >= ${range.from} AND t.received_at < ${range.to}`.execute(db.kysely);
  return r.rows[0]!;
}

/** Hazards not yet verified as rectified, by severity, and how many are past their deadline. */
export async function openHazardsBySeverity(db: Db, area: { id: number; level: AreaLevel } | null) {
  const r = await sql<{ severity: string; open: number; overdue: number }>`
    SELECT t.severity, count(*)::int AS open, count(*) FILTER (WHERE t.due_at < now() AND t.rectified_at IS NULL)::int AS overdue
    FROM hazards t WHERE ${areaFilter(area)} AND t.status <> 'verified'
    GROUP BY 1`.execute(db.kysely);
  return r.rows;
}

export async function latestCompoundRating(db: Db, compoundId: number) {
  const r = await sql<{
    color: string;
    score: number;
    period: string;
    indicators: Record<string, number>;
  }>`
    SELECT color, score, to_char(period, 'YYYY-MM-DD') AS period, indicators
    FROM compound_ratings WHERE compound_id = ${compoundId} ORDER BY period DESC LIMIT 1`.execute(
    db.kysely,
  );
  return r.rows[0];
}

/** Counts of the latest compound colours in an area's subtree (the whole city without one). */
export async function ratingRollup(db: Db, areaId: number | null) {
  const within = areaId === null ? sql`true` : sql`c.path @> ARRAY[${areaId}]::int[]`;
  const r = await sql<{
    red: number;
    yellow: number;
    blue: number;
    color: string | null;
    score: number | null;
    period: string | null;
  }>`
    SELECT count(*) FILTER (WHERE cr.color = 'red')::int AS red,
      count(*) FILTER (WHERE cr.color = 'yellow')::int AS yellow,
      count(*) FILTER (WHERE cr.color = 'blue')::int AS blue,
      ${ROLLUP_COLOR} AS color,
      avg(cr.score)::real AS score, to_char(max(cr.period), 'YYYY-MM-DD') AS period
    FROM areas c JOIN compound_ratings cr ON cr.compound_id = c.id
    WHERE c.level = 'compound' AND ${within}
      AND cr.period = (SELECT max(period) FROM compound_ratings)`.execute(db.kysely);
  return r.rows[0]!;
}

export async function findCompoundAttributes(db: Db, areaId: number) {
  return db.kysely
    .selectFrom('compounds as c')
    .leftJoin('property_companies as p', 'p.id', 'c.property_company_id')
    .select([
      'c.year_built as yearBuilt',
      'c.households',
      'c.buildings_count as buildingsCount',
      'c.has_owners_committee as hasOwnersCommittee',
      'c.has_party_branch as hasPartyBranch',
      'c.parking_spaces as parkingSpaces',
      'c.registered_cars as registeredCars',
      'c.pipe_condition as pipeCondition',
      'c.roof_condition as roofCondition',
      'c.has_elevator as hasElevator',
      'c.provincial_demonstration as provincialDemonstration',
      'p.id as companyId',
      'p.name as companyName',
      'p.credit_score as companyCreditScore',
      'p.list as companyList',
      'p.trust_model as companyTrustModel',
    ])
    .where('c.area_id', '=', areaId)
    .executeTakeFirst();
}

/** Areas' outlines as GeoJSON geometries (simplified to about 10 m), for exported files. */
export async function areaGeometries(db: Db, ids: number[]) {
  if (ids.length === 0) return new Map<number, { type: string; coordinates: unknown }>();
  const r = await sql<{ id: number; g: { type: string; coordinates: unknown } }>`
    SELECT id, ST_AsGeoJSON(ST_SimplifyPreserveTopology(geom, 0.0001), 6)::json AS g
    FROM areas WHERE id = ANY(${ids}::int[])`.execute(db.kysely);
  return new Map(r.rows.map((x) => [x.id, x.g]));
}
