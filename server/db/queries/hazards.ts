import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../client.ts';
import { envelope } from '../postgis.ts';
import {
  codeIndex,
  selectPointsGeoJson,
  selectPointsPacked,
  type PointSelection,
} from './points.ts';
import {
  HAZARD_SEVERITIES,
  HAZARD_STATUSES,
  HAZARD_TYPES,
  keysOf,
} from '../../../geo/vocabulary.ts';
import type { AreaLevel } from '../../../geo/vocabulary.ts';
import type { Bbox, TimeRange } from '../../validation.ts';
import type { Executor } from './audit.ts';
import { storedCell } from '../backfill.ts';
import { pointSql } from './places.ts';
import type { HazardExportRow } from '../../contract/exports.ts';
import { afterKey, keysetOrder, type ExportKey, type SortKey } from './exports.ts';

export interface HazardFilter {
  scope?: RawBuilder<boolean>;
  bbox?: Bbox;
  area?: { id: number; level: AreaLevel };
  types?: string[];
  severities?: string[];
  statuses?: string[];
  range: TimeRange;
  limit: number;
}

function selection(f: HazardFilter): PointSelection {
  const where: RawBuilder<unknown>[] = [
    sql`t.reported_at >= ${f.range.from}`,
    sql`t.reported_at < ${f.range.to}`,
  ];
  // ST_Intersects, not a bare &&: index boxes are single precision, so && alone lets points
  // up to ~1e-5° outside the box through.
  if (f.bbox) where.push(sql`ST_Intersects(t.geom, ${envelope(f.bbox)})`);
  if (f.area) where.push(sql`${sql.ref(`t.${f.area.level}_id`)} = ${f.area.id}`);
  if (f.types) where.push(sql`t.type = ANY(${f.types}::text[])`);
  if (f.severities) where.push(sql`t.severity = ANY(${f.severities}::text[])`);
  if (f.statuses) where.push(sql`t.status = ANY(${f.statuses}::text[])`);
  if (f.scope) where.push(f.scope);
  return { from: sql`hazards t`, where, orderBy: sql`t.reported_at`, limit: f.limit };
}

/** Past its rectification deadline and not rectified yet. */
const OVERDUE = sql`(t.rectified_at IS NULL AND t.due_at < now())`;

/** `positions`: type, severity, status, times and position only (planners): no description. */
export function hazardsGeoJson(db: Db, f: HazardFilter, fields: 'full' | 'positions' = 'full') {
  return selectPointsGeoJson(
    db,
    selection(f),
    fields === 'positions'
      ? sql`json_build_object('id', t.id, 'type', t.type, 'severity', t.severity,
      'status', t.status, 'overdue', ${OVERDUE}, 'reportedAt', t.reported_at, 'dueAt', t.due_at)`
      : sql`json_build_object('id', t.id, 'code', t.code, 'type', t.type, 'severity', t.severity,
      'status', t.status, 'overdue', ${OVERDUE}, 'reportedAt', t.reported_at, 'dueAt', t.due_at,
      'description', t.description, 'compoundId', t.compound_id)`,
  );
}

export function hazardsPacked(db: Db, f: HazardFilter) {
  const codes = sql<number>`((${codeIndex(sql`t.type`, keysOf(HAZARD_TYPES))} << 24)
    | (${codeIndex(sql`t.severity`, keysOf(HAZARD_SEVERITIES))} << 16)
    | (${codeIndex(sql`t.status`, keysOf(HAZARD_STATUSES))} << 8)
    | (CASE WHEN ${OVERDUE} THEN 1 ELSE 0 END))`;
  return selectPointsPacked(db, selection(f), codes);
}

const HAZARD_ROW = sql`json_build_object('id', t.id, 'code', t.code, 'type', t.type,
  'severity', t.severity, 'status', t.status, 'overdue', ${OVERDUE}, 'description', t.description,
  'reportedAt', t.reported_at, 'dueAt', t.due_at, 'rectifiedAt', t.rectified_at,
  'verifiedAt', t.verified_at, 'position', json_build_array(ST_X(t.geom), ST_Y(t.geom)),
  'compoundId', t.compound_id, 'compoundName', (SELECT name FROM areas WHERE id = t.compound_id),
  'gridId', t.grid_id, 'photoRef', t.photo_ref,
  'areaIds', json_build_object('district', t.district_id, 'subdistrict', t.subdistrict_id,
    'community', t.community_id, 'grid', t.grid_id, 'compound', t.compound_id),
  'compoundCompanyId', (SELECT property_company_id FROM compounds WHERE area_id = t.compound_id))`;

export interface HazardRow {
  id: number;
  code: string;
  type: string;
  severity: string;
  status: string;
  overdue: boolean;
  dueAt: string;
  rectifiedAt: string | null;
  verifiedAt: string | null;
  position: [number, number];
  compoundId: number | null;
  areaIds: {
    district: number;
    subdistrict: number;
    community: number;
    grid: number;
    compound: number | null;
  };
  compoundCompanyId: number | null;
}

const HAZARD_SORT = {
  reportedAt: sql`t.reported_at`,
  dueAt: sql`t.due_at`,
  severity: sql`array_position(ARRAY['low','medium','high','critical'], t.severity)`,
  status: sql`t.status`,
  type: sql`t.type`,
} as const;

export interface HazardListFilter {
  scope: RawBuilder<boolean>;
  area?: { id: number; level: AreaLevel };
  types?: string[];
  severities?: string[];
  statuses?: string[];
  overdue?: boolean;
  range: TimeRange;
  sort: keyof typeof HAZARD_SORT;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

export async function listHazardRows(db: Db, f: HazardListFilter) {
  const where = listWhere(f);
  const dir = f.order === 'asc' ? sql`ASC` : sql`DESC`;
  const order = sql`${HAZARD_SORT[f.sort]} ${dir}, t.id ${dir}`;
  const r = await sql<{ total: number; items: unknown[] }>`
    WITH m AS (
      SELECT t.*, count(*) OVER () AS total FROM hazards t
      WHERE ${sql.join(where, sql` AND `)} ORDER BY ${order} LIMIT ${f.limit} OFFSET ${f.offset}
    )
    SELECT coalesce(max(t.total), 0)::int AS total,
      coalesce(json_agg(${HAZARD_ROW} ORDER BY ${order}), '[]') AS items
    FROM m t`.execute(db.kysely);
  return r.rows[0]!;
}

/** The list's filters as SQL conditions on `hazards t`. */
function listWhere(f: Omit<HazardListFilter, 'sort' | 'order' | 'limit' | 'offset'>) {
  const where: RawBuilder<unknown>[] = [
    f.scope,
    sql`t.reported_at >= ${f.range.from}`,
    sql`t.reported_at < ${f.range.to}`,
  ];
  if (f.area) where.push(sql`${sql.ref(`t.${f.area.level}_id`)} = ${f.area.id}`);
  if (f.types) where.push(sql`t.type = ANY(${f.types}::text[])`);
  if (f.severities) where.push(sql`t.severity = ANY(${f.severities}::text[])`);
  if (f.statuses) where.push(sql`t.status = ANY(${f.statuses}::text[])`);
  if (f.overdue) where.push(OVERDUE);
  return where;
}

export async function findHazard(
  ex: Executor,
  id: number,
  scope: RawBuilder<boolean>,
  lock = false,
) {
  const r = await sql<{ h: HazardRow }>`SELECT ${HAZARD_ROW} AS h FROM hazards t
    WHERE t.id = ${id} AND ${scope} ${lock ? sql`FOR UPDATE OF t` : sql``}`.execute(ex);
  return r.rows[0]?.h;
}

export function hazardEvents(db: Db, hazardId: number) {
  return db.kysely
    .selectFrom('hazard_events')
    .select([
      'at',
      'status',
      'actor',
      'note',
      sql<string | null>`photo_ref`.as('photoRef'),
      sql<number | null>`account_id`.as('accountId'),
    ])
    .where('hazard_id', '=', hazardId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

/** The account that marked the hazard rectified last: it may not verify its own work. */
export async function lastRectifier(ex: Executor, hazardId: number) {
  const r = await ex
    .selectFrom('hazard_events')
    .select('account_id')
    .where('hazard_id', '=', hazardId)
    .where('status', '=', 'rectified')
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return r?.account_id ?? null;
}

export async function insertHazard(
  ex: Executor,
  h: {
    code: string;
    type: string;
    severity: string;
    description: string;
    photoRef: string | null;
    position: readonly [number, number];
    place: {
      districtId: number;
      subdistrictId: number;
      communityId: number;
      gridId: number;
      compoundId: number | null;
    };
    reporterAccountId: number;
    reportedAt: Date;
    dueAt: Date;
  },
) {
  const r = await sql<{ id: number }>`
    INSERT INTO hazards (code, type, severity, status, description, photo_ref, geom, district_id,
      subdistrict_id, community_id, grid_id, compound_id, reporter_account_id, reported_at, due_at, updated_at, h3)
    VALUES (${h.code}, ${h.type}, ${h.severity}, 'reported', ${h.description}, ${h.photoRef},
      ${pointSql(h.position)}, ${h.place.districtId}, ${h.place.subdistrictId}, ${h.place.communityId},
      ${h.place.gridId}, ${h.place.compoundId}, ${h.reporterAccountId}, ${h.reportedAt}, ${h.dueAt}, ${h.reportedAt},
      ${storedCell(h.position)}::int8)
    RETURNING id`.execute(ex);
  return r.rows[0]!.id;
}

export async function updateHazardStatus(
  ex: Executor,
  id: number,
  set: { status: string; rectifiedAt: Date | null; verifiedAt: Date | null; at: Date },
) {
  await ex
    .updateTable('hazards')
    .set({
      status: set.status,
      rectified_at: set.rectifiedAt,
      verified_at: set.verifiedAt,
      updated_at: set.at,
    })
    .where('id', '=', id)
    .execute();
}

export async function insertHazardEvent(
  ex: Executor,
  e: {
    hazardId: number;
    at: Date;
    status: string;
    actor: string;
    accountId: number;
    note: string;
    photoRef: string | null;
  },
) {
  await ex
    .insertInto('hazard_events')
    .values({
      hazard_id: e.hazardId,
      at: e.at,
      status: e.status,
      actor: e.actor,
      account_id: e.accountId,
      note: e.note,
      photo_ref: e.photoRef,
    })
    .execute();
}

/** The export of the hazard list or layer: which rows, in which order, with which fields. */
export type HazardExportSource =
  | { kind: 'list'; filter: Omit<HazardListFilter, 'limit' | 'offset'> }
  | { kind: 'layer'; filter: Omit<HazardFilter, 'limit'>; fields: 'full' | 'positions' };

const HAZARD_SORT_KEYS: Record<keyof typeof HAZARD_SORT, SortKey> = {
  reportedAt: { expr: HAZARD_SORT.reportedAt, type: 'timestamptz' },
  dueAt: { expr: HAZARD_SORT.dueAt, type: 'timestamptz' },
  severity: { expr: HAZARD_SORT.severity, type: 'int' },
  status: { expr: HAZARD_SORT.status, type: 'text' },
  type: { expr: HAZARD_SORT.type, type: 'text' },
};

/** One keyset batch of a hazard export, as one JSON text (see ticketExportBatch). */
export async function hazardExportBatch(
  db: Db,
  source: HazardExportSource,
  after: ExportKey | null,
  size: number,
): Promise<HazardExportRow[]> {
  const key = HAZARD_SORT_KEYS[source.kind === 'list' ? source.filter.sort : 'reportedAt'];
  const desc = source.kind === 'list' ? source.filter.order === 'desc' : true;
  const where =
    source.kind === 'list'
      ? listWhere(source.filter)
      : selection({ ...source.filter, limit: 0 }).where;
  const start = afterKey(key, desc, after);
  if (start) where.push(start);
  const order = keysetOrder(key, desc);
  const row =
    source.kind === 'layer' && source.fields === 'positions'
      ? sql`json_build_object('id', t.id, 'type', t.type, 'severity', t.severity,
          'status', t.status, 'overdue', ${OVERDUE}, 'reportedAt', t.reported_at, 'dueAt', t.due_at,
          'position', json_build_array(round(ST_X(t.geom)::numeric, 6), round(ST_Y(t.geom)::numeric, 6)))::jsonb`
      : sql`${HAZARD_ROW}::jsonb`;
  const r = await sql<{ rows: string }>`
    WITH m AS (
      SELECT t.* FROM hazards t WHERE ${sql.join(where, sql` AND `)} ORDER BY ${order} LIMIT ${size}
    )
    SELECT coalesce(json_agg(${row} || jsonb_build_object('_k', ${key.expr}) ORDER BY ${order}),
      '[]')::text AS rows
    FROM m t`.execute(db.kysely);
  return JSON.parse(r.rows[0]!.rows) as HazardExportRow[];
}
