import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../client.ts';
import { envelope } from '../postgis.ts';
import { OPEN_TICKET } from './areas.ts';
import {
  codeIndex,
  selectPointsGeoJson,
  selectPointsPacked,
  type PointSelection,
} from './points.ts';
import {
  keysOf,
  TICKET_CATEGORIES,
  TICKET_CHANNELS,
  TICKET_STATUSES,
} from '../../../geo/vocabulary.ts';
import {
  OPEN_TICKET_STATUSES,
  type AreaLevel,
  type TicketStatus,
} from '../../../geo/vocabulary.ts';
import type { Bbox, TimeRange } from '../../validation.ts';
import type { ReadRule } from '../../policy.ts';
import type { Executor } from './audit.ts';
import { storedCell } from '../backfill.ts';
import { pointSql } from './places.ts';
import { scopeCondition } from './scope.ts';
import type { TicketExportRow } from '../../contract/exports.ts';
import { afterKey, type ExportKey, type SortKey } from './exports.ts';

export interface TicketFilter {
  /** Only what this actor may read (none: the public map layer rules apply in the route). */
  scope?: RawBuilder<boolean>;
  bbox?: Bbox;
  area?: { id: number; level: AreaLevel };
  categories?: string[];
  statuses?: string[];
  channels?: string[];
  range: TimeRange;
  limit: number;
}

function selection(f: TicketFilter): PointSelection {
  const where: RawBuilder<unknown>[] = [
    sql`t.received_at >= ${f.range.from}`,
    sql`t.received_at < ${f.range.to}`,
  ];
  // ST_Intersects, not a bare &&: index boxes are single precision, so && alone lets points
  // up to ~1e-5° outside the box through.
  if (f.bbox) where.push(sql`ST_Intersects(t.geom, ${envelope(f.bbox)})`);
  if (f.area) where.push(sql`${sql.ref(`t.${f.area.level}_id`)} = ${f.area.id}`);
  if (f.categories) where.push(sql`t.category = ANY(${f.categories}::text[])`);
  if (f.statuses) {
    where.push(sql`t.status = ANY(${f.statuses}::text[])`);
    // Open statuses never have closed_at; saying so lets the planner use the small partial index
    // of open tickets instead of walking the whole year (10x on PostgreSQL at city scale).
    if (f.statuses.every((s) => OPEN_TICKET_STATUSES.includes(s as TicketStatus))) {
      where.push(sql`t.closed_at IS NULL AND t.status <> 'rejected_duplicate'`);
    }
  }
  if (f.channels) where.push(sql`t.channel = ANY(${f.channels}::text[])`);
  if (f.scope) where.push(f.scope);
  return { from: sql`tickets t`, where, orderBy: sql`t.received_at`, limit: f.limit };
}

const OVERDUE = sql`(${OPEN_TICKET} AND t.due_at < now())`;

/** Who answers the ticket, as `{ kind, id, name }`; needs `p` and `d` joined. */
const RESPONDER = sql`CASE
  WHEN t.property_company_id IS NOT NULL THEN json_build_object('kind', 'property_company', 'id', t.property_company_id, 'name', p.name)
  WHEN t.department_id IS NOT NULL THEN json_build_object('kind', 'department', 'id', t.department_id, 'name', d.name)
  ELSE json_build_object('kind', 'community', 'id', NULL, 'name', '社区') END`;

const WHISTLED = sql`EXISTS (SELECT 1 FROM whistles w WHERE w.ticket_id = t.id AND w.resolved_at IS NULL)`;

/**
 * `positions`: category, status, times and position only (planners): no code, title, channel or
 * compound, since a title may hold a resident's name and phone.
 */
export function ticketsGeoJson(db: Db, f: TicketFilter, fields: 'full' | 'positions' = 'full') {
  return selectPointsGeoJson(
    db,
    selection(f),
    fields === 'positions'
      ? sql`json_build_object('id', t.id, 'category', t.category, 'status', t.status,
      'overdue', ${OVERDUE}, 'receivedAt', t.received_at, 'dueAt', t.due_at)`
      : sql`json_build_object('id', t.id, 'code', t.code, 'category', t.category, 'status', t.status,
      'channel', t.channel, 'priority', t.priority, 'overdue', ${OVERDUE},
      'receivedAt', t.received_at, 'dueAt', t.due_at, 'title', t.title, 'compoundId', t.compound_id)`,
  );
}

export function ticketsPacked(db: Db, f: TicketFilter) {
  const codes = sql<number>`((${codeIndex(sql`t.category`, keysOf(TICKET_CATEGORIES))} << 24)
    | (${codeIndex(sql`t.status`, keysOf(TICKET_STATUSES))} << 16)
    | (${codeIndex(sql`t.channel`, keysOf(TICKET_CHANNELS))} << 8)
    | (CASE WHEN ${OVERDUE} THEN 1 ELSE 0 END) | (CASE WHEN t.priority = 'urgent' THEN 2 ELSE 0 END))`;
  return selectPointsPacked(db, selection(f), codes);
}

export async function findTicket(db: Db, id: number, scope?: RawBuilder<boolean>) {
  const r = await sql<Record<string, unknown>>`
    SELECT t.id, t.code, t.category, t.channel, t.status, t.priority, t.title, t.description,
      t.resident_name AS "residentName", t.resident_phone AS "residentPhone",
      json_build_array(ST_X(t.geom), ST_Y(t.geom)) AS position,
      t.district_id AS "districtId", t.subdistrict_id AS "subdistrictId", t.community_id AS "communityId",
      t.grid_id AS "gridId", t.compound_id AS "compoundId", c.name AS "compoundName",
      p.name AS "propertyCompany", d.name AS department,
      t.received_at AS "receivedAt", t.due_at AS "dueAt", t.resolved_at AS "resolvedAt",
      t.closed_at AS "closedAt", t.satisfaction, ${OVERDUE} AS overdue,
      t.property_company_id AS "propertyCompanyId", t.department_id AS "departmentId",
      t.duplicate_of AS "duplicateOf", t.photo_ref AS "photoRef", t.updated_at AS "updatedAt",
      ${RESPONDER} AS responder
    FROM tickets t
    LEFT JOIN areas c ON c.id = t.compound_id
    LEFT JOIN property_companies p ON p.id = t.property_company_id
    LEFT JOIN departments d ON d.id = t.department_id
    WHERE t.id = ${id} AND ${scope ?? sql`true`}`.execute(db.kysely);
  return r.rows[0];
}

export function ticketEvents(db: Db, ticketId: number) {
  return db.kysely
    .selectFrom('ticket_events')
    .select(['at', 'status', 'actor', 'note'])
    .where('ticket_id', '=', ticketId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

export interface TicketListFilter {
  scope: RawBuilder<boolean>;
  area?: { id: number; level: AreaLevel };
  categories?: string[];
  statuses?: string[];
  channels?: string[];
  overdue?: boolean;
  whistled?: boolean;
  q?: string;
  range: TimeRange;
  sort: 'receivedAt' | 'dueAt' | 'status' | 'category' | 'priority';
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

const SORT_COLUMNS = {
  receivedAt: sql`t.received_at`,
  dueAt: sql`t.due_at`,
  status: sql`t.status`,
  category: sql`t.category`,
  priority: sql`t.priority`,
} as const;

/** The list's filters as SQL conditions on `tickets t` joined to its compound `c`. */
function listWhere(f: Omit<TicketListFilter, 'sort' | 'order' | 'limit' | 'offset'>) {
  const where: RawBuilder<unknown>[] = [
    f.scope,
    sql`t.received_at >= ${f.range.from}`,
    sql`t.received_at < ${f.range.to}`,
  ];
  if (f.area) where.push(sql`${sql.ref(`t.${f.area.level}_id`)} = ${f.area.id}`);
  if (f.categories) where.push(sql`t.category = ANY(${f.categories}::text[])`);
  if (f.statuses) where.push(sql`t.status = ANY(${f.statuses}::text[])`);
  if (f.channels) where.push(sql`t.channel = ANY(${f.channels}::text[])`);
  if (f.overdue) where.push(OVERDUE);
  if (f.whistled) where.push(WHISTLED);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    where.push(sql`(t.code ILIKE ${like} OR t.title ILIKE ${like} OR c.name ILIKE ${like})`);
  }
  return where;
}

/** One page of the workspace list, packed into one JSON value in SQL. */
export async function listTicketRows(db: Db, f: TicketListFilter) {
  const where = listWhere(f);
  const dir = f.order === 'asc' ? sql`ASC` : sql`DESC`;
  const r = await sql<{ total: number; items: unknown[] }>`
    WITH m AS (
      SELECT t.*, c.name AS compound_name, p.name AS company_name, d.name AS department_name,
        count(*) OVER () AS total
      FROM tickets t
      LEFT JOIN areas c ON c.id = t.compound_id
      LEFT JOIN property_companies p ON p.id = t.property_company_id
      LEFT JOIN departments d ON d.id = t.department_id
      WHERE ${sql.join(where, sql` AND `)}
      ORDER BY ${SORT_COLUMNS[f.sort]} ${dir}, t.id ${dir}
      LIMIT ${f.limit} OFFSET ${f.offset}
    )
    SELECT coalesce(max(t.total), 0)::int AS total, coalesce(json_agg(json_build_object(
      'id', t.id, 'code', t.code, 'title', t.title, 'category', t.category, 'channel', t.channel,
      'status', t.status, 'priority', t.priority, 'overdue', ${OVERDUE}, 'whistled', ${WHISTLED},
      'receivedAt', t.received_at, 'dueAt', t.due_at, 'resolvedAt', t.resolved_at,
      'closedAt', t.closed_at, 'position', json_build_array(ST_X(t.geom), ST_Y(t.geom)),
      'compoundId', t.compound_id, 'compoundName', t.compound_name, 'gridId', t.grid_id,
      'responder', CASE
        WHEN t.property_company_id IS NOT NULL THEN json_build_object('kind', 'property_company', 'id', t.property_company_id, 'name', t.company_name)
        WHEN t.department_id IS NOT NULL THEN json_build_object('kind', 'department', 'id', t.department_id, 'name', t.department_name)
        ELSE json_build_object('kind', 'community', 'id', NULL, 'name', '社区') END
    ) ORDER BY ${SORT_COLUMNS[f.sort]} ${dir}, t.id ${dir}), '[]') AS items
    FROM m t`.execute(db.kysely);
  // A page past the end has no rows to carry the total: count it separately.
  const row = r.rows[0]!;
  if (row.items.length === 0 && f.offset > 0) {
    const c = await sql<{ n: number }>`SELECT count(*)::int AS n FROM tickets t
      LEFT JOIN areas c ON c.id = t.compound_id WHERE ${sql.join(where, sql` AND `)}`.execute(
      db.kysely,
    );
    row.total = c.rows[0]!.n;
  }
  return row;
}

/** Same-category tickets near a point in recent days, nearest first. */
export async function nearbyTickets(
  db: Db,
  q: {
    scope: RawBuilder<boolean>;
    /** Which of them show their code and title; the others show category, status and place. */
    titled: RawBuilder<boolean>;
    position: readonly [number, number];
    category: string;
    radiusM: number;
    since: Date;
  },
) {
  // The degree box around the point lets the GiST index find candidates; the geography
  // distance then measures them in metres.
  const latDeg = q.radiusM / 111_320;
  const lonDeg = q.radiusM / (111_320 * Math.cos((q.position[1] * Math.PI) / 180));
  const pt = pointSql(q.position);
  const r = await sql<{ items: unknown[] }>`
    WITH m AS (
      SELECT t.id, t.status, t.category, t.received_at,
        CASE WHEN ${q.titled} THEN t.code END AS code, CASE WHEN ${q.titled} THEN t.title END AS title,
        ST_Distance(t.geom::geography, ${pt}::geography) AS d
      FROM tickets t
      WHERE t.geom && ST_Expand(${pt}, ${lonDeg}, ${latDeg})
        AND t.category = ${q.category} AND t.received_at >= ${q.since}
        AND t.status <> 'rejected_duplicate' AND ${q.scope}
    )
    SELECT coalesce(json_agg(json_build_object('id', id, 'code', code, 'title', title,
      'status', status, 'category', category, 'receivedAt', received_at,
      'distanceM', round(d::numeric, 1)) ORDER BY d, id), '[]') AS items
    FROM (SELECT * FROM m WHERE d <= ${q.radiusM} ORDER BY d, id LIMIT 20) m`.execute(db.kysely);
  return r.rows[0]!.items;
}

export interface TicketState {
  id: number;
  code: string;
  status: TicketStatus;
  category: string;
  priority: 'normal' | 'urgent';
  districtId: number;
  subdistrictId: number;
  communityId: number;
  gridId: number;
  compoundId: number | null;
  propertyCompanyId: number | null;
  departmentId: number | null;
  reporterAccountId: number | null;
  compoundCompanyId: number | null;
  dueAt: Date;
  resolvedAt: Date | null;
  closedAt: Date | null;
  satisfaction: number | null;
  duplicateOf: number | null;
  position: [number, number];
}

/** The ticket's mutable state, locked for the rest of the transaction, if the actor may see it. */
export async function lockTicket(ex: Executor, id: number, rule: ReadRule) {
  const r = await sql<TicketState>`
    SELECT t.id, t.code, t.status, t.category, t.priority, t.district_id AS "districtId",
      t.subdistrict_id AS "subdistrictId", t.community_id AS "communityId", t.grid_id AS "gridId",
      t.compound_id AS "compoundId", t.property_company_id AS "propertyCompanyId",
      t.department_id AS "departmentId", t.reporter_account_id AS "reporterAccountId",
      (SELECT property_company_id FROM compounds WHERE area_id = t.compound_id) AS "compoundCompanyId",
      t.due_at AS "dueAt", t.resolved_at AS "resolvedAt", t.closed_at AS "closedAt",
      t.satisfaction, t.duplicate_of AS "duplicateOf",
      json_build_array(ST_X(t.geom), ST_Y(t.geom)) AS position
    FROM tickets t WHERE t.id = ${id} AND ${scopeCondition(rule, 'tickets', 't')}
    FOR UPDATE OF t`.execute(ex);
  return r.rows[0];
}

export interface NewTicket {
  code: string;
  category: string;
  channel: string;
  priority: 'normal' | 'urgent';
  title: string;
  description: string;
  residentName: string | null;
  residentPhone: string | null;
  photoRef: string | null;
  position: readonly [number, number];
  place: {
    districtId: number;
    subdistrictId: number;
    communityId: number;
    gridId: number;
    compoundId: number | null;
  };
  propertyCompanyId: number | null;
  departmentId: number | null;
  reporterAccountId: number;
  receivedAt: Date;
  dueAt: Date;
}

/**
 * Whether a new ticket repeats one of the same category at the same compound that was closed less
 * than 90 days before it (one index range over the compound's tickets).
 */
function isRepeat(t: NewTicket): RawBuilder<boolean> {
  if (t.place.compoundId === null) return sql<boolean>`false`;
  return sql<boolean>`EXISTS (SELECT 1 FROM tickets e
    WHERE e.compound_id = ${t.place.compoundId} AND e.received_at <= ${t.receivedAt}
      AND e.category = ${t.category} AND e.closed_at <= ${t.receivedAt}
      AND e.closed_at > ${t.receivedAt}::timestamptz - interval '90 days')`;
}

export async function insertTicket(ex: Executor, t: NewTicket): Promise<number> {
  const r = await sql<{ id: number }>`
    INSERT INTO tickets (code, category, channel, status, priority, title, description,
      resident_name, resident_phone, photo_ref, geom, district_id, subdistrict_id, community_id,
      grid_id, compound_id, property_company_id, department_id, reporter_account_id,
      received_at, due_at, updated_at, h3, is_repeat)
    VALUES (${t.code}, ${t.category}, ${t.channel}, 'received', ${t.priority}, ${t.title},
      ${t.description}, ${t.residentName}, ${t.residentPhone}, ${t.photoRef}, ${pointSql(t.position)},
      ${t.place.districtId}, ${t.place.subdistrictId}, ${t.place.communityId}, ${t.place.gridId},
      ${t.place.compoundId}, ${t.propertyCompanyId}, ${t.departmentId}, ${t.reporterAccountId},
      ${t.receivedAt}, ${t.dueAt}, ${t.receivedAt}, ${storedCell(t.position)}::int8,
      ${isRepeat(t)})
    RETURNING id`.execute(ex);
  return r.rows[0]!.id;
}

export async function updateTicket(
  ex: Executor,
  id: number,
  set: {
    status: string;
    propertyCompanyId: number | null;
    departmentId: number | null;
    dueAt: Date;
    resolvedAt: Date | null;
    closedAt: Date | null;
    satisfaction: number | null;
    duplicateOf: number | null;
    at: Date;
  },
) {
  await ex
    .updateTable('tickets')
    .set({
      status: set.status,
      property_company_id: set.propertyCompanyId,
      department_id: set.departmentId,
      due_at: set.dueAt,
      resolved_at: set.resolvedAt,
      closed_at: set.closedAt,
      satisfaction: set.satisfaction,
      duplicate_of: set.duplicateOf,
      updated_at: set.at,
    })
    .where('id', '=', id)
    .execute();
}

export async function insertTicketEvent(
  ex: Executor,
  e: { ticketId: number; at: Date; status: string; actor: string; accountId: number; note: string },
) {
  await ex
    .insertInto('ticket_events')
    .values({
      ticket_id: e.ticketId,
      at: e.at,
      status: e.status,
      actor: e.actor,
      account_id: e.accountId,
      note: e.note,
    })
    .execute();
}

export async function ticketExists(ex: Executor, id: number, scope: RawBuilder<boolean>) {
  const r = await sql<{ status: string }>`SELECT t.status FROM tickets t
    WHERE t.id = ${id} AND ${scope}`.execute(ex);
  return r.rows[0];
}

/** The export of the list or the layer: which rows, in which order, with which fields. */
export type TicketExportSource =
  | { kind: 'list'; filter: Omit<TicketListFilter, 'limit' | 'offset'> }
  | { kind: 'layer'; filter: Omit<TicketFilter, 'limit'>; fields: 'full' | 'positions' };

const SORT_KEYS: Record<TicketListFilter['sort'], SortKey> = {
  receivedAt: { expr: sql`t.received_at`, type: 'timestamptz' },
  dueAt: { expr: sql`t.due_at`, type: 'timestamptz' },
  status: { expr: sql`t.status`, type: 'text' },
  category: { expr: sql`t.category`, type: 'text' },
  priority: { expr: sql`t.priority`, type: 'text' },
};

/** Where the next batch starts: the sort value (as the row carries it) and the id of the last row. */
export type TicketExportKey = ExportKey;

/**
 * One keyset batch of an export, packed into one JSON text in SQL (rows crossing PGlite's WASM
 * boundary one by one cost several times more). Ordered as the list (newest first by default) with
 * the id breaking ties, so that batches neither repeat nor skip a row.
 */
export async function ticketExportBatch(
  db: Db,
  source: TicketExportSource,
  after: TicketExportKey | null,
  size: number,
): Promise<TicketExportRow[]> {
  const sort =
    source.kind === 'list'
      ? { key: SORT_KEYS[source.filter.sort], desc: source.filter.order === 'desc' }
      : { key: SORT_KEYS.receivedAt, desc: true };
  const where =
    source.kind === 'list'
      ? listWhere(source.filter)
      : selection({ ...source.filter, limit: 0 }).where;
  const full = source.kind === 'list' || source.fields === 'full';
  const dir = sort.desc ? sql`DESC` : sql`ASC`;
  const start = afterKey(sort.key, sort.desc, after);
  if (start) where.push(start);
  const fields = full
    ? sql`'code', t.code, 'title', t.title, 'channel', t.channel, 'priority', t.priority,
      'whistled', ${WHISTLED}, 'resolvedAt', t.resolved_at, 'closedAt', t.closed_at,
      'compoundId', t.compound_id, 'compoundName', c.name, 'gridId', t.grid_id,
      'responder', ${RESPONDER},`
    : sql``;
  const r = await sql<{ rows: string }>`
    WITH m AS (
      SELECT t.id FROM tickets t
      LEFT JOIN areas c ON c.id = t.compound_id
      WHERE ${sql.join(where, sql` AND `)}
      ORDER BY ${sort.key.expr} ${dir}, t.id ${dir}
      LIMIT ${size}
    )
    SELECT coalesce(json_agg(json_build_object(${fields}
      'id', t.id, 'category', t.category, 'status', t.status, 'overdue', ${OVERDUE},
      'receivedAt', t.received_at, 'dueAt', t.due_at,
      'position', json_build_array(round(ST_X(t.geom)::numeric, 6), round(ST_Y(t.geom)::numeric, 6))
    ) ORDER BY ${sort.key.expr} ${dir}, t.id ${dir}), '[]')::text AS rows
    FROM m JOIN tickets t ON t.id = m.id
    LEFT JOIN areas c ON c.id = t.compound_id
    LEFT JOIN property_companies p ON p.id = t.property_company_id
    LEFT JOIN departments d ON d.id = t.department_id`.execute(db.kysely);
  return JSON.parse(r.rows[0]!.rows) as TicketExportRow[];
}

/** The key after `row` for the export's order. */
export function ticketExportKey(source: TicketExportSource, row: TicketExportRow): TicketExportKey {
  const sort = source.kind === 'list' ? source.filter.sort : 'receivedAt';
  return { value: String(row[sort as keyof TicketExportRow]), id: row.id };
}
