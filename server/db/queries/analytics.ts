/**
 * The planner's aggregates. Counts come from the rollups (whole months, whole days) plus the
 * tickets of the partial days at the ends; filters the rollups do not carry (status, channel
 * for cells) fall back to counting the tickets. Nothing here returns a ticket's text, code,
 * channel or resident: categories, statuses, times and positions only.
 */
import { sql, type RawBuilder } from 'kysely';
import { splitRange, type RangeSplit } from '../../../geo/periods.ts';
import type { AreaLevel } from '../../../geo/vocabulary.ts';
import type { Db } from '../client.ts';
import type { TimeRange } from '../../validation.ts';
import { AREA_DEPTH, OPEN_TICKET, sliceOn } from './areas.ts';
import { spans } from './rollups.ts';

/** The ticket filter of the planner's views. */
export interface AnalyticsFilter {
  range: TimeRange;
  /** Only tickets inside this area (counted from the tickets: cell rollups carry no area). */
  area?: { id: number; level: AreaLevel };
  categories?: string[];
  channels?: string[];
  statuses?: string[];
}

/** Tickets counted in the planner's figures: every one received except rejected duplicates. */
const COUNTED = sql`t.status <> 'rejected_duplicate'`;

function ticketFilter(f: Omit<AnalyticsFilter, 'range'>): RawBuilder<unknown> {
  const parts = [COUNTED, sliceOn('t', { categories: f.categories, channels: f.channels })];
  if (f.statuses) parts.push(sql`t.status = ANY(${f.statuses}::text[])`);
  if (f.area) parts.push(sql`${sql.ref(`t.${f.area.level}_id`)} = ${f.area.id}`);
  return sql.join(parts, sql` AND `);
}

const DATE = sql`::date`;
const monthsOf = (s: RangeSplit) => (s.months ? [s.months] : []);

/** Cell rollup rows of some categories, or the '*' rows that hold all of them. */
const cellCategories = (categories?: string[]) =>
  categories ? sql`r.category = ANY(${categories}::text[])` : sql`r.category = '*'`;

/** Whether the rollups can answer the filter for cells (they carry category only). */
export const cellRollupsServe = (f: AnalyticsFilter) => !f.channels && !f.statuses && !f.area;

/**
 * Tickets per H3 cell at `res` over the filter, as `[[h3, n], …]` packed in SQL: from the cell
 * rollups when they carry the filter, else counted from the tickets.
 */
export async function cellCounts(
  db: Db,
  res: number,
  f: AnalyticsFilter,
): Promise<[string, number][]> {
  const split = splitRange(f.range.from, f.range.to);
  const cats = cellCategories(f.categories);
  const inner = cellRollupsServe(f)
    ? sql`
      SELECT r.h3, r.n FROM ticket_cell_months r
      WHERE r.res = ${res} AND ${spans('r.month', monthsOf(split), DATE)} AND ${cats}
      UNION ALL
      SELECT r.h3, r.n FROM ticket_cell_days r
      WHERE r.res = ${res} AND ${spans('r.day', split.days, DATE)} AND ${cats}
      UNION ALL
      SELECT h3_parent(t.h3, ${res}), 1 FROM tickets t
      WHERE ${spans('t.received_at', split.edges)} AND t.h3 IS NOT NULL AND ${ticketFilter(f)}`
    : sql`
      SELECT h3_parent(t.h3, ${res}) AS h3, 1 AS n FROM tickets t
      WHERE t.received_at >= ${f.range.from} AND t.received_at < ${f.range.to}
        AND t.h3 IS NOT NULL AND ${ticketFilter(f)}`;
  const r = await sql<{ cells: [string, number][] }>`
    SELECT coalesce(json_agg(json_build_array(to_hex(h3), n) ORDER BY h3), '[]') AS cells
    FROM (SELECT h3, sum(n)::int AS n FROM (${inner}) u GROUP BY h3 HAVING sum(n) > 0) c`.execute(
    db.kysely,
  );
  return r.rows[0]!.cells;
}

/** The baseline the benchmark measures the rollups against: the same counts from the tickets. */
export async function cellCountsDirect(db: Db, res: number, f: AnalyticsFilter) {
  const r = await sql<{ cells: [string, number][] }>`
    SELECT coalesce(json_agg(json_build_array(to_hex(h3), n) ORDER BY h3), '[]') AS cells
    FROM (SELECT h3_parent(t.h3, ${res}) AS h3, count(*)::int AS n FROM tickets t
      WHERE t.received_at >= ${f.range.from} AND t.received_at < ${f.range.to}
        AND t.h3 IS NOT NULL AND ${ticketFilter(f)} GROUP BY 1) c`.execute(db.kysely);
  return r.rows[0]!.cells;
}

/** Households and compounds per H3 cell at `res` (a compound counts in the cell of its label point). */
export async function cellHouseholds(db: Db, res: number): Promise<[string, number][]> {
  const r = await sql<{ cells: [string, number][] }>`
    SELECT coalesce(json_agg(json_build_array(to_hex(h3), households) ORDER BY h3), '[]') AS cells
    FROM (SELECT h3_parent(c.h3, ${res}) AS h3, sum(c.households)::int AS households
      FROM compounds c WHERE c.h3 IS NOT NULL GROUP BY 1) s`.execute(db.kysely);
  return r.rows[0]!.cells;
}

/** Tickets per cell per month over whole months [fromMonth, toMonth) (`YYYY-MM-01`). */
export async function cellMonthlyCounts(
  db: Db,
  res: number,
  months: { from: string; to: string },
  f: Omit<AnalyticsFilter, 'range'> = {},
): Promise<[string, string, number][]> {
  // Channel and status are not rollup keys: with either, the months are counted from the tickets.
  const inner =
    f.channels || f.statuses || f.area
      ? sql`SELECT h3_parent(t.h3, ${res}) AS h3, date_trunc('month', beijing_day(t.received_at)::timestamp) AS month, 1 AS n
          FROM tickets t
          WHERE t.received_at >= (${months.from}::date::timestamp AT TIME ZONE 'Asia/Shanghai')
            AND t.received_at < (${months.to}::date::timestamp AT TIME ZONE 'Asia/Shanghai')
            AND t.h3 IS NOT NULL AND ${ticketFilter(f)}`
      : sql`SELECT r.h3, r.month, r.n FROM ticket_cell_months r
          WHERE r.res = ${res} AND r.month >= ${months.from}::date AND r.month < ${months.to}::date
            AND ${cellCategories(f.categories)}`;
  const r = await sql<{ cells: [string, string, number][] }>`
    SELECT coalesce(json_agg(json_build_array(to_hex(h3), to_char(month, 'YYYY-MM'), n)), '[]') AS cells
    FROM (SELECT h3, month, sum(n)::int AS n FROM (${inner}) u GROUP BY 1, 2 HAVING sum(n) > 0) s`.execute(
    db.kysely,
  );
  return r.rows[0]!.cells;
}

/** Where a selection's tickets are: one H3 cell's range of res-9 cells, or a drawn polygon. */
export type Place =
  { kind: 'cells'; lo: string; hi: string } | { kind: 'polygon'; geojson: string };

/** A drawn polygon, made valid: a ring drawn across itself selects both of its loops. */
const drawn = (geojson: string) =>
  sql`ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(${geojson}), 4326))`;

function placeCondition(p: Place): RawBuilder<unknown> {
  return p.kind === 'cells'
    ? sql`t.h3 BETWEEN ${p.lo}::int8 AND ${p.hi}::int8`
    : sql`ST_Intersects(t.geom, ${drawn(p.geojson)})`;
}

function compoundPlace(p: Place): RawBuilder<unknown> {
  return p.kind === 'cells'
    ? sql`c.h3 BETWEEN ${p.lo}::int8 AND ${p.hi}::int8`
    : sql`ST_Intersects(a.label_point, ${drawn(p.geojson)})`;
}

export interface PlaceDetailRow {
  count: number;
  households: number;
  monthly: { month: string; count: number }[];
  categories: { key: string; count: number }[];
  compounds: { id: number; name: string; households: number; count: number }[];
  tickets: {
    id: number;
    category: string;
    status: string;
    receivedAt: string;
    position: [number, number];
  }[];
  ticketsTotal: number;
}

/** What lies in a place over the filter: counts by month and category, compounds, ticket positions. */
export async function placeDetail(
  db: Db,
  place: Place,
  f: AnalyticsFilter,
  ticketLimit: number,
): Promise<PlaceDetailRow> {
  const r = await sql<PlaceDetailRow>`
    WITH t AS MATERIALIZED (
      SELECT t.id, t.category, t.status, t.received_at, t.compound_id, t.geom FROM tickets t
      WHERE ${placeCondition(place)} AND t.received_at >= ${f.range.from}
        AND t.received_at < ${f.range.to} AND ${ticketFilter(f)}
    ), c AS (
      SELECT c.area_id AS id, a.name, c.households FROM compounds c JOIN areas a ON a.id = c.area_id
      WHERE ${compoundPlace(place)}
    )
    SELECT (SELECT count(*)::int FROM t) AS count,
      (SELECT coalesce(sum(households), 0)::int FROM c) AS households,
      (SELECT coalesce(json_agg(json_build_object('month', m, 'count', n) ORDER BY m), '[]')
        FROM (SELECT to_char(beijing_day(received_at), 'YYYY-MM') AS m, count(*)::int AS n FROM t GROUP BY 1) x) AS monthly,
      (SELECT coalesce(json_agg(json_build_object('key', category, 'count', n) ORDER BY n DESC, category), '[]')
        FROM (SELECT category, count(*)::int AS n FROM t GROUP BY 1) x) AS categories,
      (SELECT coalesce(json_agg(json_build_object('id', id, 'name', name, 'households', households,
          'count', n) ORDER BY n DESC, id), '[]')
        FROM (SELECT c.id, c.name, c.households, count(t.id)::int AS n
          FROM c LEFT JOIN t ON t.compound_id = c.id GROUP BY 1, 2, 3 ORDER BY 4 DESC, 1 LIMIT 50) x) AS compounds,
      (SELECT coalesce(json_agg(json_build_object('id', id, 'category', category, 'status', status,
          'receivedAt', received_at, 'position', json_build_array(round(ST_X(geom)::numeric, 6), round(ST_Y(geom)::numeric, 6)))
          ORDER BY received_at DESC, id), '[]')
        FROM (SELECT * FROM t ORDER BY received_at DESC, id LIMIT ${ticketLimit}) x) AS tickets,
      (SELECT count(*)::int FROM t) AS "ticketsTotal"`.execute(db.kysely);
  return r.rows[0]!;
}

/**
 * Tickets per day or month over the filter, for an area or the city, from the area rollups
 * (partial days at the ends from the tickets, bucketed by their Beijing day).
 */
export async function series(
  db: Db,
  area: { id: number; level: AreaLevel } | null,
  grain: 'day' | 'month',
  f: AnalyticsFilter,
): Promise<{ start: string; count: number }[]> {
  const split = splitRange(f.range.from, f.range.to);
  const areaId = area?.id ?? 0;
  const slice = sliceOn('r', { categories: f.categories, channels: f.channels });
  const bucket = (col: RawBuilder<unknown>) =>
    grain === 'day'
      ? sql`to_char(${col}, 'YYYY-MM-DD')`
      : sql`to_char(date_trunc('month', ${col}::timestamp), 'YYYY-MM-DD')`;
  const inArea = area ? sql`${sql.ref(`t.${area.level}_id`)} = ${area.id}` : sql`true`;
  // Daily buckets cannot come from month rows: their whole days are read day by day.
  const wholeDays = grain === 'month' ? split.days : [...split.days, ...monthsOf(split)];
  const statusRule = f.statuses ? sql`t.status = ANY(${f.statuses}::text[])` : sql`true`;
  // Status is not a rollup key: with a status filter every bucket is counted from the tickets.
  const inner = f.statuses
    ? sql`SELECT ${bucket(sql`beijing_day(t.received_at)`)} AS b, 1 AS n FROM tickets t
        WHERE ${inArea} AND t.received_at >= ${f.range.from} AND t.received_at < ${f.range.to}
          AND ${ticketFilter(f)} AND ${statusRule}`
    : sql`
      SELECT ${bucket(sql`r.month`)} AS b, r.received - r.rejected AS n FROM ticket_area_months r
      WHERE r.area_id = ${areaId} AND ${spans('r.month', grain === 'month' ? monthsOf(split) : [], DATE)}
        AND ${slice}
      UNION ALL
      SELECT ${bucket(sql`r.day`)}, r.received - r.rejected FROM ticket_area_days r
      WHERE r.area_id = ${areaId} AND ${spans('r.day', wholeDays, DATE)} AND ${slice}
      UNION ALL
      SELECT ${bucket(sql`beijing_day(t.received_at)`)}, 1 FROM tickets t
      WHERE ${inArea} AND ${spans('t.received_at', split.edges)} AND ${ticketFilter(f)}`;
  const r = await sql<{ buckets: { start: string; count: number }[] }>`
    SELECT coalesce(json_agg(json_build_object('start', b, 'count', n) ORDER BY b), '[]') AS buckets
    FROM (SELECT b, sum(n)::int AS n FROM (${inner}) u GROUP BY b) s`.execute(db.kysely);
  return r.rows[0]!.buckets;
}

/** Ticket counts per category over the filter for an area or the city, from the rollups. */
export async function categoryCounts(
  db: Db,
  area: { id: number; level: AreaLevel } | null,
  f: AnalyticsFilter,
): Promise<{ key: string; count: number }[]> {
  const split = splitRange(f.range.from, f.range.to);
  const areaId = area?.id ?? 0;
  const slice = sliceOn('r', { categories: f.categories, channels: f.channels });
  const inArea = area ? sql`${sql.ref(`t.${area.level}_id`)} = ${area.id}` : sql`true`;
  const inner = f.statuses
    ? sql`SELECT t.category, 1 AS n FROM tickets t WHERE ${inArea}
        AND t.received_at >= ${f.range.from} AND t.received_at < ${f.range.to} AND ${ticketFilter(f)}`
    : sql`
      SELECT r.category, r.received - r.rejected AS n FROM ticket_area_months r
      WHERE r.area_id = ${areaId} AND ${spans('r.month', monthsOf(split), DATE)} AND ${slice}
      UNION ALL
      SELECT r.category, r.received - r.rejected FROM ticket_area_days r
      WHERE r.area_id = ${areaId} AND ${spans('r.day', split.days, DATE)} AND ${slice}
      UNION ALL
      SELECT t.category, 1 FROM tickets t
      WHERE ${inArea} AND ${spans('t.received_at', split.edges)} AND ${ticketFilter(f)}`;
  const r = await sql<{ items: { key: string; count: number }[] }>`
    SELECT coalesce(json_agg(json_build_object('key', category, 'count', n) ORDER BY n DESC, category), '[]') AS items
    FROM (SELECT category, sum(n)::int AS n FROM (${inner}) u GROUP BY 1 HAVING sum(n) > 0) s`.execute(
    db.kysely,
  );
  return r.rows[0]!.items;
}

export interface AreaCountRow {
  id: number;
  level: AreaLevel;
  name: string;
  count: number;
  open: number;
  closed: number;
  households: number;
}

/**
 * Every area of a level (under `parent`, if given) with its ticket counts over the filter, from
 * the area rollups, and its households. Status filters count from the tickets instead.
 */
export async function areaCounts(
  db: Db,
  level: AreaLevel,
  parent: number | undefined,
  f: AnalyticsFilter,
  /** Only areas inside this one (at any depth). */
  ancestor?: number,
): Promise<AreaCountRow[]> {
  const split = splitRange(f.range.from, f.range.to);
  const slice = sliceOn('r', { categories: f.categories, channels: f.channels });
  const col = sql.ref(`t.${level}_id`);
  const depth = AREA_DEPTH[level];
  const under = sql.join(
    [
      parent === undefined ? sql`true` : sql`a.parent_id = ${parent}`,
      ancestor === undefined ? sql`true` : sql`a.path @> ARRAY[${ancestor}]::int[]`,
    ],
    sql` AND `,
  );
  const inner = f.statuses
    ? sql`SELECT ${col} AS id, 1 AS n, 0 AS open, 0 AS closed FROM tickets t
        WHERE ${col} IN (SELECT id FROM s) AND t.received_at >= ${f.range.from}
          AND t.received_at < ${f.range.to} AND ${ticketFilter(f)}`
    : sql`
      SELECT r.area_id AS id, r.received - r.rejected AS n, r.open, r.closed FROM ticket_area_months r
      WHERE r.area_id IN (SELECT id FROM s) AND ${spans('r.month', monthsOf(split), DATE)} AND ${slice}
      UNION ALL
      SELECT r.area_id, r.received - r.rejected, r.open, r.closed FROM ticket_area_days r
      WHERE r.area_id IN (SELECT id FROM s) AND ${spans('r.day', split.days, DATE)} AND ${slice}
      UNION ALL
      SELECT ${col}, 1, (${OPEN_TICKET})::int, (t.closed_at IS NOT NULL)::int
      FROM tickets t
      WHERE ${col} IN (SELECT id FROM s) AND ${spans('t.received_at', split.edges)} AND ${ticketFilter(f)}`;
  const r = await sql<{ rows: AreaCountRow[] }>`
    WITH s AS (SELECT a.id, a.level, a.name FROM areas a WHERE a.level = ${level} AND ${under}),
    n AS (SELECT id, sum(n)::int AS n, sum(open)::int AS open, sum(closed)::int AS closed
      FROM (${inner}) u GROUP BY id),
    h AS (SELECT ca.path[${depth}] AS id, sum(c.households)::int AS households
      FROM compounds c JOIN areas ca ON ca.id = c.area_id
      WHERE ca.path[${depth}] IN (SELECT id FROM s) GROUP BY 1)
    SELECT coalesce(json_agg(json_build_object('id', s.id, 'level', s.level, 'name', s.name,
      'count', coalesce(n.n, 0), 'open', coalesce(n.open, 0), 'closed', coalesce(n.closed, 0),
      'households', coalesce(h.households, 0)) ORDER BY s.id), '[]') AS rows
    FROM s LEFT JOIN n ON n.id = s.id LEFT JOIN h ON h.id = s.id`.execute(db.kysely);
  return r.rows[0]!.rows;
}

export interface CompoundFactsRow {
  id: number;
  name: string;
  district: string;
  subdistrict: string;
  position: [number, number];
  yearBuilt: number;
  households: number;
  buildings: number;
  pipeCondition: 'good' | 'fair' | 'poor';
  roofCondition: 'good' | 'fair' | 'poor';
  hasElevator: boolean;
  elevatorCandidates: number;
  parkingSpaces: number;
  registeredCars: number;
  facilityTickets: number;
  openHazards: number;
  repeats: number;
}

/**
 * Every compound (built before `builtBefore`, if given; under `area`, if given) with its facts
 * and, over the filter's period, its facility tickets, open hazards and repeat tickets (same
 * category at the same compound within 90 days of an earlier one's closure).
 */
export async function compoundFacts(
  db: Db,
  q: { builtBefore?: number; area?: { id: number }; range: TimeRange; stats: boolean },
): Promise<CompoundFactsRow[]> {
  // Without stats (the facts layer) the ticket and hazard counts are left out: they are the cost.
  const built = q.builtBefore === undefined ? sql`true` : sql`c.year_built < ${q.builtBefore}`;
  const under = q.area ? sql`a.path @> ARRAY[${q.area.id}]::int[]` : sql`true`;
  const r = await sql<{ rows: CompoundFactsRow[] }>`
    WITH s AS (
      SELECT c.*, a.name, a.label_point, a.path FROM compounds c JOIN areas a ON a.id = c.area_id
      WHERE ${built} AND ${under}
    ), b AS (
      SELECT b.compound_id AS id, count(*) FILTER (WHERE b.floors >= 4)::int AS tall
      FROM buildings b WHERE b.compound_id IN (SELECT area_id FROM s) GROUP BY 1
    ), f AS (
      -- Facility tickets and repeats (flagged at intake, see tickets.is_repeat) per compound.
      SELECT t.compound_id AS id, count(*) FILTER (WHERE t.category = 'facilities')::int AS facilities,
        count(*) FILTER (WHERE t.is_repeat)::int AS repeats
      FROM tickets t
      WHERE t.compound_id IN (SELECT area_id FROM s) AND ${sql.lit(q.stats)}
        AND t.received_at >= ${q.range.from} AND t.received_at < ${q.range.to} AND ${COUNTED}
      GROUP BY 1
    ), h AS (
      SELECT t.compound_id AS id, count(*)::int AS n FROM hazards t
      WHERE t.compound_id IN (SELECT area_id FROM s) AND t.status <> 'verified' AND ${sql.lit(q.stats)}
      GROUP BY 1
    )
    SELECT coalesce(json_agg(json_build_object(
      'id', s.area_id, 'name', s.name, 'district', d.name, 'subdistrict', sd.name,
      'position', json_build_array(round(ST_X(s.label_point)::numeric, 6), round(ST_Y(s.label_point)::numeric, 6)),
      'yearBuilt', s.year_built, 'households', s.households, 'buildings', s.buildings_count,
      'pipeCondition', s.pipe_condition, 'roofCondition', s.roof_condition,
      'hasElevator', s.has_elevator,
      'elevatorCandidates', CASE WHEN s.has_elevator THEN 0 ELSE coalesce(b.tall, 0) END,
      'parkingSpaces', s.parking_spaces, 'registeredCars', s.registered_cars,
      'facilityTickets', coalesce(f.facilities, 0), 'openHazards', coalesce(h.n, 0),
      'repeats', coalesce(f.repeats, 0)) ORDER BY s.area_id), '[]') AS rows
    FROM s
    JOIN areas d ON d.id = s.path[1] JOIN areas sd ON sd.id = s.path[2]
    LEFT JOIN b ON b.id = s.area_id LEFT JOIN f ON f.id = s.area_id
    LEFT JOIN h ON h.id = s.area_id`.execute(db.kysely);
  return r.rows[0]!.rows;
}

/** Names of areas by id, for labelling comparison rows. */
export async function areaNames(db: Db, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const r = await sql<{ id: number; name: string }>`
    SELECT id, name FROM areas WHERE id = ANY(${ids}::int[])`.execute(db.kysely);
  return new Map(r.rows.map((x) => [x.id, x.name]));
}

export interface PatrolStatsRow {
  id: number;
  patrols: number;
  hours: number;
  checkins: number;
  hazards: number;
}

/** Patrols, patrol hours and check-ins per grid over a range, and the hazards reported there. */
export async function gridPatrolStats(
  db: Db,
  gridIds: number[],
  range: TimeRange,
): Promise<PatrolStatsRow[]> {
  const r = await sql<{ rows: PatrolStatsRow[] }>`
    WITH g AS (SELECT unnest(${gridIds}::int[]) AS id),
    p AS (SELECT p.grid_id AS id, count(*)::int AS n,
        sum(extract(epoch FROM coalesce(p.ended_at, p.started_at) - p.started_at)) / 3600 AS hours
      FROM patrols p WHERE p.grid_id IN (SELECT id FROM g)
        AND p.started_at >= ${range.from} AND p.started_at < ${range.to} GROUP BY 1),
    c AS (SELECT p.grid_id AS id, count(*)::int AS n FROM patrol_checkins k
      JOIN patrols p ON p.id = k.patrol_id
      WHERE p.grid_id IN (SELECT id FROM g) AND k.at >= ${range.from} AND k.at < ${range.to} GROUP BY 1),
    h AS (SELECT t.grid_id AS id, count(*)::int AS n FROM hazards t
      WHERE t.grid_id IN (SELECT id FROM g) AND t.reported_at >= ${range.from}
        AND t.reported_at < ${range.to} GROUP BY 1)
    SELECT coalesce(json_agg(json_build_object('id', g.id, 'patrols', coalesce(p.n, 0),
      'hours', round(coalesce(p.hours, 0)::numeric, 1), 'checkins', coalesce(c.n, 0),
      'hazards', coalesce(h.n, 0))), '[]') AS rows
    FROM g LEFT JOIN p ON p.id = g.id LEFT JOIN c ON c.id = g.id LEFT JOIN h ON h.id = g.id`.execute(
    db.kysely,
  );
  return r.rows[0]!.rows;
}

/** Check-ins (at compounds, in the compound's cell) and hazards per H3 cell at `res`. */
export async function cellPatrolStats(
  db: Db,
  res: number,
  range: TimeRange,
  ancestor?: number,
): Promise<{ h3: string; checkins: number; hazards: number }[]> {
  const under = ancestor === undefined ? sql`true` : sql`a.path @> ARRAY[${ancestor}]::int[]`;
  const r = await sql<{ rows: { h3: string; checkins: number; hazards: number }[] }>`
    WITH c AS (SELECT h3_parent(cp.h3, ${res}) AS h3, count(*)::int AS n FROM patrol_checkins k
      JOIN compounds cp ON cp.area_id = k.compound_id JOIN areas a ON a.id = k.compound_id
      WHERE k.at >= ${range.from} AND k.at < ${range.to} AND cp.h3 IS NOT NULL AND ${under}
      GROUP BY 1),
    h AS (SELECT h3_parent(t.h3, ${res}) AS h3, count(*)::int AS n FROM hazards t
      JOIN areas a ON a.id = t.grid_id
      WHERE t.reported_at >= ${range.from} AND t.reported_at < ${range.to} AND t.h3 IS NOT NULL
        AND ${under} GROUP BY 1)
    SELECT coalesce(json_agg(json_build_object('h3', to_hex(coalesce(c.h3, h.h3)),
      'checkins', coalesce(c.n, 0), 'hazards', coalesce(h.n, 0))), '[]') AS rows
    FROM c FULL JOIN h ON h.h3 = c.h3`.execute(db.kysely);
  return r.rows[0]!.rows;
}
