import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../client.ts';
import { envelope } from '../postgis.ts';
import type { Cursor } from '../../../geo/ogc.ts';
import { OPEN_TICKET } from './areas.ts';

/**
 * The SQL of OGC API – Features: one page of a collection as ONE GeoJSON text built inside the
 * database (PGlite rows cost several times more than bytes), in id order with keyset paging (a
 * deep page costs what the first does), full geometry (GIS wants it unsimplified).
 */

/** A collection's rows: FROM (aliased `t`), their fixed conditions, time column, properties. */
export interface FeatureSource {
  from: RawBuilder<unknown>;
  where: RawBuilder<unknown>[];
  /** The temporal property `datetime` filters on (none: the collection has no time). */
  time?: RawBuilder<unknown>;
  /** A json_build_object over `t` (and what `from` joins). */
  properties: RawBuilder<unknown>;
}

export interface PageQuery {
  bbox?: readonly [number, number, number, number];
  interval?: { start: Date | null; end: Date | null };
  cursor?: Cursor;
  limit: number;
  /** Count every match (cheap collections only). */
  count: boolean;
}

function filters(s: FeatureSource, q: Omit<PageQuery, 'cursor' | 'limit' | 'count'>) {
  const where = [...s.where];
  // ST_Intersects, not a bare &&: index boxes are single precision.
  if (q.bbox) where.push(sql`ST_Intersects(t.geom, ${envelope(q.bbox)})`);
  if (q.interval && s.time) {
    if (q.interval.start) where.push(sql`${s.time} >= ${q.interval.start}`);
    if (q.interval.end) where.push(sql`${s.time} <= ${q.interval.end}`);
  }
  return where;
}

const whereSql = (parts: RawBuilder<unknown>[]) =>
  parts.length ? sql`WHERE ${sql.join(parts, sql` AND `)}` : sql``;

/** Where a page's first or last feature is in the page order. */
export interface PageEdge {
  id: number;
  /** Collections with time: the time as the database wrote it. */
  at?: string;
}

export interface Page {
  /** Rows found in the page's direction, up to limit + 1: more than `limit` means more beyond. */
  fetched: number;
  /** The page's first and last feature (null when empty). */
  first: PageEdge | null;
  last: PageEdge | null;
  /** The features as a JSON array text. */
  features: string;
  matched: number | null;
}

/**
 * A page of features in the collection's order: by id, or for collections with time by (time,
 * id), so that a `datetime` window walks the time index (and a district's tickets their
 * (district, time) index) instead of filtering the whole table in id order. With a `before`
 * cursor the page is read backwards (the `limit` features just before it) and returned in order.
 */
export async function featurePage(db: Db, s: FeatureSource, q: PageQuery): Promise<Page> {
  const where = filters(s, q);
  const keyed = [...where];
  const backwards = q.cursor?.dir === 'before';
  // The sort key: the time (then the id) where the collection has time.
  const key = s.time ?? sql`t.id`;
  // The time goes in as text: a JavaScript Date would drop the microseconds the key compares.
  if (q.cursor) {
    const cmp = backwards ? sql`<` : sql`>`;
    keyed.push(
      s.time
        ? sql`(${s.time}, t.id) ${cmp} (${q.cursor.at}::text::timestamptz, ${q.cursor.id}::int)`
        : sql`t.id ${cmp} ${q.cursor.id}`,
    );
  }
  const dir = backwards ? sql`DESC` : sql`ASC`;
  const edge = (d: RawBuilder<unknown>) =>
    s.time
      ? sql`(SELECT json_build_object('id', id, 'at', k) FROM p ORDER BY k ${d}, id ${d} LIMIT 1)`
      : sql`(SELECT json_build_object('id', id) FROM p ORDER BY id ${d} LIMIT 1)`;
  const r = await sql<Omit<Page, 'first' | 'last'> & { first: string | null; last: string | null }>`
    WITH k AS (
      SELECT t.id, ${key} AS k FROM ${s.from} ${whereSql(keyed)}
      ORDER BY ${key} ${dir}, t.id ${dir} LIMIT ${q.limit + 1}
    ), p AS (SELECT id, k FROM k ORDER BY k ${dir}, id ${dir} LIMIT ${q.limit})
    SELECT (SELECT count(*) FROM k)::int AS fetched,
      ${edge(sql`ASC`)}::text AS first, ${edge(sql`DESC`)}::text AS last,
      ${q.count ? sql`(SELECT count(*) FROM ${s.from} ${whereSql(where)})::int` : sql`NULL::int`} AS matched,
      coalesce((SELECT json_agg(json_build_object(
        'type', 'Feature', 'id', t.id,
        'geometry', ST_AsGeoJSON(t.geom, 7)::json,
        'properties', ${s.properties}) ORDER BY p.k, p.id)
        FROM p JOIN ${s.from} ON t.id = p.id), '[]'::json)::text AS features`.execute(db.kysely);
  const row = r.rows[0]!;
  const edgeOf = (text: string | null) => (text === null ? null : (JSON.parse(text) as PageEdge));
  return { ...row, first: edgeOf(row.first), last: edgeOf(row.last) };
}

/** One feature as GeoJSON text, or undefined. */
export async function featureById(
  db: Db,
  s: FeatureSource,
  id: number,
): Promise<string | undefined> {
  const r = await sql<{ f: string }>`
    SELECT json_build_object('type', 'Feature', 'id', t.id,
      'geometry', ST_AsGeoJSON(t.geom, 7)::json, 'properties', ${s.properties})::text AS f
    FROM ${s.from} ${whereSql([...s.where, sql`t.id = ${id}`])}`.execute(db.kysely);
  return r.rows[0]?.f;
}

/** The box around a collection's features [w, s, e, n] (null when it has none). */
export async function spatialExtent(
  db: Db,
  s: FeatureSource,
): Promise<[number, number, number, number] | null> {
  const r = await sql<{ w: number | null; s: number | null; e: number | null; n: number | null }>`
    WITH x AS (SELECT ST_Extent(t.geom) AS b FROM ${s.from} ${whereSql(s.where)})
    SELECT ST_XMin(b) AS w, ST_YMin(b) AS s, ST_XMax(b) AS e, ST_YMax(b) AS n FROM x`.execute(
    db.kysely,
  );
  const b = r.rows[0];
  if (!b || b.w === null) return null;
  const round = (v: number | null, up: boolean) =>
    (up ? Math.ceil(v! * 1e6) : Math.floor(v! * 1e6)) / 1e6;
  return [round(b.w, false), round(b.s, false), round(b.e, true), round(b.n, true)];
}

/** The earliest time of a collection's features (its interval stays open: records keep coming). */
export async function temporalStart(db: Db, s: FeatureSource): Promise<Date | null> {
  const r = await sql<{ start: Date | string | null }>`
    SELECT min(${s.time!}) AS start FROM ${s.from} ${whereSql(s.where)}`.execute(db.kysely);
  const v = r.rows[0]?.start;
  return v === null || v === undefined ? null : new Date(v);
}

/** Areas of one level: name, code, parent. */
export function areaSource(level: string): FeatureSource {
  return {
    from: sql`areas t`,
    where: [sql`t.level = ${level}`],
    properties: sql`json_build_object('name', t.name, 'code', t.code, 'level', t.level,
      'parentId', t.parent_id)`,
  };
}

/**
 * Compounds with their facts and the rating of the last rated month (as the map colours them).
 */
export function compoundSource(): FeatureSource {
  return {
    from: sql`(SELECT a.id, a.geom, a.name, a.code, a.parent_id, c.year_built, c.households,
        c.buildings_count, c.has_elevator, c.has_owners_committee, c.has_party_branch,
        c.provincial_demonstration, p.name AS company, r.color, r.score, r.period
      FROM areas a
      LEFT JOIN compounds c ON c.area_id = a.id
      LEFT JOIN property_companies p ON p.id = c.property_company_id
      LEFT JOIN compound_ratings r ON r.compound_id = a.id
        AND r.period = (SELECT max(period) FROM compound_ratings)
      WHERE a.level = 'compound') t`,
    where: [],
    properties: sql`json_build_object('name', t.name, 'code', t.code, 'gridId', t.parent_id,
      'yearBuilt', t.year_built, 'households', t.households, 'buildings', t.buildings_count,
      'propertyCompany', t.company, 'hasElevator', t.has_elevator,
      'hasOwnersCommittee', t.has_owners_committee, 'hasPartyBranch', t.has_party_branch,
      'provincialDemonstration', t.provincial_demonstration,
      'rating', t.color, 'ratingScore', round(t.score::numeric, 1),
      'ratingPeriod', to_char(t.period::date, 'YYYY-MM'))`,
  };
}

export function buildingSource(): FeatureSource {
  return {
    from: sql`(SELECT b.id, b.geom, b.name, b.floors, b.households, b.compound_id, a.name AS compound
      FROM buildings b LEFT JOIN areas a ON a.id = b.compound_id) t`,
    where: [],
    properties: sql`json_build_object('name', t.name, 'floors', t.floors,
      'households', t.households, 'compoundId', t.compound_id, 'compoundName', t.compound)`,
  };
}

const TICKET_OVERDUE = sql`(${OPEN_TICKET} AND t.due_at < now())`;

/**
 * Tickets as the caller's map layer holds them (`scope`: the layer's rule). `positions` is the
 * field set of the planners' layer (db/queries/tickets.ts ticketsGeoJson): category, status and
 * times only, never a code, title or compound (a title may hold a resident's name and phone).
 * The resident's name and phone are never in the layer, for anyone.
 */
export function ticketSource(
  scope: RawBuilder<boolean>,
  fields: 'full' | 'positions',
): FeatureSource {
  return {
    from: sql`tickets t`,
    where: [scope],
    time: sql`t.received_at`,
    properties:
      fields === 'positions'
        ? sql`json_build_object('category', t.category, 'status', t.status,
          'overdue', ${TICKET_OVERDUE}, 'receivedAt', t.received_at, 'dueAt', t.due_at)`
        : sql`json_build_object('code', t.code, 'category', t.category, 'status', t.status,
          'channel', t.channel, 'priority', t.priority, 'overdue', ${TICKET_OVERDUE},
          'receivedAt', t.received_at, 'dueAt', t.due_at, 'closedAt', t.closed_at,
          'title', t.title, 'compoundId', t.compound_id)`,
  };
}

const HAZARD_OVERDUE = sql`(t.rectified_at IS NULL AND t.due_at < now())`;

/** Hazards as the caller's map layer holds them, with the layer's field sets. */
export function hazardSource(
  scope: RawBuilder<boolean>,
  fields: 'full' | 'positions',
): FeatureSource {
  return {
    from: sql`hazards t`,
    where: [scope],
    time: sql`t.reported_at`,
    properties:
      fields === 'positions'
        ? sql`json_build_object('type', t.type, 'severity', t.severity, 'status', t.status,
          'overdue', ${HAZARD_OVERDUE}, 'reportedAt', t.reported_at, 'dueAt', t.due_at)`
        : sql`json_build_object('code', t.code, 'type', t.type, 'severity', t.severity,
          'status', t.status, 'overdue', ${HAZARD_OVERDUE}, 'reportedAt', t.reported_at,
          'dueAt', t.due_at, 'description', t.description, 'compoundId', t.compound_id)`,
  };
}
