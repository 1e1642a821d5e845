import { sql, type RawBuilder } from 'kysely';
import type { AreaLevel } from '../../../geo/vocabulary.ts';
import type { Db } from '../client.ts';
import type { Executor } from './audit.ts';
import { pointSql } from './places.ts';

const PENDING = sql`EXISTS (SELECT 1 FROM whistle_report_ins p WHERE p.whistle_id = w.id AND p.reported_at IS NULL)`;

/** The whistle's state from its clocks: see WHISTLE_STATES in geo/operations.ts. */
export const WHISTLE_STATE = sql<string>`CASE
  WHEN w.resolved_at IS NOT NULL THEN 'resolved'
  WHEN ${PENDING} AND now() > w.report_due_at THEN 'report_late'
  WHEN ${PENDING} THEN 'awaiting_report'
  WHEN now() > w.resolve_due_at THEN 'resolve_late'
  ELSE 'in_progress' END`;

/**
 * A report-in (`ri`) of a whistle (`w`) is late when it came after the deadline, or has not come
 * and the deadline passed by `asOf` (the 红黄蓝 ratings judge it at a month's end).
 */
export const lateAsOf = (asOf: RawBuilder<unknown>) =>
  sql<boolean>`(coalesce(ri.reported_at, ${asOf}) > w.report_due_at)`;
const LATE = lateAsOf(sql`now()`);

const WHISTLE_JSON = sql`json_build_object(
  'id', w.id, 'code', w.code, 'level', w.level, 'ticketId', w.ticket_id,
  'ticketCode', (SELECT code FROM tickets WHERE id = w.ticket_id),
  'compoundId', w.compound_id, 'compoundName', (SELECT name FROM areas WHERE id = w.compound_id),
  'reason', w.reason, 'blownBy', w.blown_by_name, 'blownAt', w.blown_at,
  'reportDueAt', w.report_due_at, 'resolveDueAt', w.resolve_due_at, 'resolvedAt', w.resolved_at,
  'resolution', w.resolution, 'state', ${WHISTLE_STATE},
  'position', json_build_array(ST_X(w.geom), ST_Y(w.geom)),
  'areaIds', json_build_object('district', w.district_id, 'subdistrict', w.subdistrict_id,
    'community', w.community_id, 'grid', w.grid_id, 'compound', w.compound_id),
  'responders', (SELECT coalesce(json_agg(json_build_object(
      'kind', CASE WHEN ri.property_company_id IS NOT NULL THEN 'property_company' ELSE 'department' END,
      'id', coalesce(ri.property_company_id, ri.department_id),
      'name', coalesce(pc.name, d.name),
      'office', CASE WHEN coalesce(pc.office, d.office) IS NULL THEN NULL
        ELSE json_build_array(ST_X(coalesce(pc.office, d.office)), ST_Y(coalesce(pc.office, d.office))) END,
      'reportedAt', ri.reported_at, 'reportedBy', ri.reported_by_name, 'late', ${LATE},
      'note', ri.note) ORDER BY ri.id), '[]')
    FROM whistle_report_ins ri
    LEFT JOIN property_companies pc ON pc.id = ri.property_company_id
    LEFT JOIN departments d ON d.id = ri.department_id
    WHERE ri.whistle_id = w.id))`;

export type WhistleStateFilter = 'open' | 'late' | 'resolved' | 'all';

export async function listWhistles(
  db: Db,
  f: {
    scope: RawBuilder<boolean>;
    area?: { id: number; level: AreaLevel };
    state: WhistleStateFilter;
    limit: number;
    /** Keyset for an export's next batch: rows strictly after this one in the list's order. */
    after?: { open: boolean; blownAt: string; id: number };
  },
) {
  const where: RawBuilder<unknown>[] = [f.scope];
  if (f.after) {
    where.push(
      sql`((w.resolved_at IS NULL)::int, w.blown_at, w.id) < (${f.after.open ? 1 : 0}, ${f.after.blownAt}::timestamptz, ${f.after.id})`,
    );
  }
  if (f.area) where.push(sql`${sql.ref(`w.${f.area.level}_id`)} = ${f.area.id}`);
  if (f.state === 'open') where.push(sql`w.resolved_at IS NULL`);
  if (f.state === 'resolved') where.push(sql`w.resolved_at IS NOT NULL`);
  if (f.state === 'late') {
    where.push(
      sql`w.resolved_at IS NULL AND (now() > w.resolve_due_at OR (${PENDING} AND now() > w.report_due_at))`,
    );
  }
  const r = await sql<{ total: number; items: unknown[] }>`
    WITH m AS (
      SELECT w.*, count(*) OVER () AS total FROM whistles w
      WHERE ${sql.join(where, sql` AND `)}
      ORDER BY (w.resolved_at IS NULL) DESC, w.blown_at DESC, w.id DESC
      LIMIT ${f.limit}
    )
    SELECT coalesce(max(w.total), 0)::int AS total,
      coalesce(json_agg(${WHISTLE_JSON} ORDER BY (w.resolved_at IS NULL) DESC, w.blown_at DESC, w.id DESC), '[]') AS items
    FROM m w`.execute(db.kysely);
  return r.rows[0]!;
}

export async function findWhistle(ex: Executor, id: number, scope: RawBuilder<boolean>) {
  const r = await sql<{ w: WhistleJson }>`SELECT ${WHISTLE_JSON} AS w FROM whistles w
    WHERE w.id = ${id} AND ${scope}`.execute(ex);
  return r.rows[0]?.w;
}

export interface WhistleJson {
  id: number;
  code: string;
  level: 'community' | 'subdistrict';
  ticketId: number | null;
  compoundId: number;
  state: string;
  resolvedAt: string | null;
  reportDueAt: string;
  position: [number, number];
  areaIds: {
    district: number;
    subdistrict: number;
    community: number;
    grid: number;
    compound: number;
  };
  responders: {
    kind: 'property_company' | 'department';
    id: number;
    name: string;
    reportedAt: string | null;
    late: boolean;
  }[];
}

/** The whistles about a ticket that `scope` lets through. */
export async function whistlesOfTicket(db: Db, ticketId: number, scope: RawBuilder<boolean>) {
  const r = await sql<{ w: unknown }>`SELECT ${WHISTLE_JSON} AS w FROM whistles w
    WHERE w.ticket_id = ${ticketId} AND ${scope} ORDER BY w.blown_at`.execute(db.kysely);
  return r.rows.map((x) => x.w);
}

export async function lockWhistle(ex: Executor, id: number, scope: RawBuilder<boolean>) {
  const r = await sql<{ id: number }>`SELECT w.id FROM whistles w WHERE w.id = ${id} AND ${scope}
    FOR UPDATE OF w`.execute(ex);
  return r.rows.length > 0 ? findWhistle(ex, id, sql`true`) : undefined;
}

export async function insertWhistle(
  ex: Executor,
  w: {
    code: string;
    level: 'community' | 'subdistrict';
    ticketId: number | null;
    place: {
      districtId: number;
      subdistrictId: number;
      communityId: number;
      gridId: number;
      compoundId: number;
    };
    position: readonly [number, number];
    reason: string;
    blownBy: number;
    blownByName: string;
    blownAt: Date;
    reportDueAt: Date;
    resolveDueAt: Date;
    companyIds: number[];
    departmentIds: number[];
  },
): Promise<number> {
  const r = await sql<{ id: number }>`
    INSERT INTO whistles (code, level, ticket_id, compound_id, district_id, subdistrict_id,
      community_id, grid_id, geom, reason, blown_by, blown_by_name, blown_at, report_due_at, resolve_due_at)
    VALUES (${w.code}, ${w.level}, ${w.ticketId}, ${w.place.compoundId}, ${w.place.districtId},
      ${w.place.subdistrictId}, ${w.place.communityId}, ${w.place.gridId}, ${pointSql(w.position)},
      ${w.reason}, ${w.blownBy}, ${w.blownByName}, ${w.blownAt}, ${w.reportDueAt}, ${w.resolveDueAt})
    RETURNING id`.execute(ex);
  const id = r.rows[0]!.id;
  const rows = [
    ...w.companyIds.map((c) => ({ whistle_id: id, property_company_id: c, department_id: null })),
    ...w.departmentIds.map((d) => ({
      whistle_id: id,
      property_company_id: null,
      department_id: d,
    })),
  ];
  await ex.insertInto('whistle_report_ins').values(rows).execute();
  return id;
}

export async function markReportedIn(
  ex: Executor,
  whistleId: number,
  responder: { propertyCompanyId: number | null; departmentId: number | null },
  by: { accountId: number; name: string; note: string | null; at: Date },
) {
  let q = ex
    .updateTable('whistle_report_ins')
    .set({
      reported_at: by.at,
      reported_by: by.accountId,
      reported_by_name: by.name,
      note: by.note,
    })
    .where('whistle_id', '=', whistleId)
    .where('reported_at', 'is', null);
  q =
    responder.propertyCompanyId !== null
      ? q.where('property_company_id', '=', responder.propertyCompanyId)
      : q.where('department_id', '=', responder.departmentId);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function markResolved(ex: Executor, id: number, at: Date, resolution: string) {
  await ex
    .updateTable('whistles')
    .set({ resolved_at: at, resolution })
    .where('id', '=', id)
    .execute();
}

/** The ticket's whistles not resolved yet. */
export async function openWhistleIdsOfTicket(tx: Executor, ticketId: number): Promise<number[]> {
  const open = await tx
    .selectFrom('whistles')
    .select('id')
    .where('ticket_id', '=', ticketId)
    .where('resolved_at', 'is', null)
    .execute();
  return open.map((r) => r.id);
}

export function whistleAreaPath(w: WhistleJson) {
  const a = w.areaIds;
  return [a.district, a.subdistrict, a.community, a.grid, a.compound];
}

/** Open whistles, those awaiting report-in, late report-ins and overdue whistles in an area. */
export async function whistleKpis(db: Db, area: { id: number; level: AreaLevel } | null) {
  const inArea = area ? sql`${sql.ref(`w.${area.level}_id`)} = ${area.id}` : sql`true`;
  const r = await sql<{
    open: number;
    awaitingReport: number;
    lateReportIns: number;
    overdue: number;
  }>`
    SELECT
      count(*) FILTER (WHERE w.resolved_at IS NULL)::int AS open,
      count(*) FILTER (WHERE w.resolved_at IS NULL AND ${PENDING})::int AS "awaitingReport",
      coalesce(sum((SELECT count(*) FROM whistle_report_ins ri WHERE ri.whistle_id = w.id AND ${LATE})), 0)::int AS "lateReportIns",
      count(*) FILTER (WHERE w.resolved_at IS NULL AND now() > w.resolve_due_at)::int AS overdue
    FROM whistles w WHERE ${inArea}`.execute(db.kysely);
  return r.rows[0]!;
}
