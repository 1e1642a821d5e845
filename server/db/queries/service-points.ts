/**
 * Service points and 执法进小区 visits: the public list of points (with the compounds each
 * serves), their writes, and the visits of a scope (an area's subtree or one department).
 */
import { sql, type RawBuilder } from 'kysely';
import type { OpeningSpan } from '../../../geo/opening-hours.ts';
import type { EnforcementTopic, ServicePointKind } from '../../../geo/mediation.ts';
import type { PlaceRule } from '../../policy.ts';
import type { Db } from '../client.ts';
import { jsonb } from '../postgis.ts';
import type { Executor } from './audit.ts';
import { placeCondition } from './scope.ts';

export interface PointRow {
  id: number;
  kind: ServicePointKind;
  name: string;
  address: string;
  phone: string | null;
  hours: OpeningSpan[];
  note: string | null;
  areaId: number;
  areaName: string;
  areaLevel: string;
  path: number[];
  position: [number, number];
  compounds: number;
  closedAt: string | null;
}

const POINT_COLUMNS = sql`p.id, p.kind, p.name, p.address, p.phone, p.hours, p.note,
  p.area_id AS "areaId", a.name AS "areaName", a.level AS "areaLevel", p.area_path AS path,
  json_build_array(round(ST_X(p.geom)::numeric, 6), round(ST_Y(p.geom)::numeric, 6)) AS position,
  (SELECT count(*)::int FROM service_point_compounds s WHERE s.service_point_id = p.id) AS compounds,
  to_char(p.closed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "closedAt"`;

export async function listPoints(
  db: Db,
  f: { kinds?: ServicePointKind[]; area: number | null; closed: boolean },
): Promise<PointRow[]> {
  const where: RawBuilder<unknown>[] = [f.closed ? sql`true` : sql`p.closed_at IS NULL`];
  if (f.kinds) where.push(sql`p.kind = ANY(${f.kinds}::text[])`);
  if (f.area !== null) where.push(sql`p.area_path @> ARRAY[${f.area}::int]`);
  const r = await sql<PointRow>`
    SELECT ${POINT_COLUMNS} FROM service_points p JOIN areas a ON a.id = p.area_id
    WHERE ${sql.join(where, sql` AND `)}
    ORDER BY p.kind, p.id`.execute(db.kysely);
  return r.rows;
}

export async function findPoint(ex: Executor, id: number) {
  const r = await sql<PointRow>`
    SELECT ${POINT_COLUMNS} FROM service_points p JOIN areas a ON a.id = p.area_id
    WHERE p.id = ${id}`.execute(ex);
  const p = r.rows[0];
  if (!p) return null;
  const cs = await sql<{ id: number; name: string }>`
    SELECT a.id, a.name FROM service_point_compounds s JOIN areas a ON a.id = s.compound_id
    WHERE s.service_point_id = ${id} ORDER BY a.name, a.id`.execute(ex);
  return { ...p, servedCompounds: cs.rows };
}

/** Compounds among `ids` with their paths (the ones that exist and are compounds). */
export async function compoundPaths(db: Db, ids: number[]) {
  const r = await sql<{ id: number; path: number[] }>`
    SELECT id, path FROM areas WHERE id = ANY(${ids}::int[]) AND level = 'compound'`.execute(
    db.kysely,
  );
  return r.rows;
}

export interface PointFields {
  kind: ServicePointKind;
  name: string;
  areaId: number;
  path: number[];
  position: [number, number] | null;
  address: string;
  phone: string | null;
  hours: OpeningSpan[];
  note: string | null;
}

export async function insertPoint(tx: Executor, p: PointFields, compoundIds: number[]) {
  const geom = p.position
    ? sql`ST_SetSRID(ST_MakePoint(${p.position[0]}::float8, ${p.position[1]}::float8), 4326)`
    : sql`(SELECT label_point FROM areas WHERE id = ${p.areaId})`;
  const r = await sql<{ id: number }>`
    INSERT INTO service_points (kind, name, area_id, area_path, geom, address, phone, hours, note)
    VALUES (${p.kind}, ${p.name}, ${p.areaId}, ${p.path}::int[], ${geom}, ${p.address},
      ${p.phone}, ${jsonb(p.hours)}, ${p.note})
    RETURNING id`.execute(tx);
  const id = r.rows[0]!.id;
  await setCompounds(tx, id, compoundIds);
  return id;
}

export async function updatePoint(
  tx: Executor,
  id: number,
  p: Partial<Pick<PointFields, 'name' | 'address' | 'phone' | 'hours' | 'note' | 'position'>>,
) {
  const sets: RawBuilder<unknown>[] = [sql`updated_at = now()`];
  if (p.name !== undefined) sets.push(sql`name = ${p.name}`);
  if (p.address !== undefined) sets.push(sql`address = ${p.address}`);
  if (p.phone !== undefined) sets.push(sql`phone = ${p.phone}`);
  if (p.note !== undefined) sets.push(sql`note = ${p.note}`);
  if (p.hours !== undefined) sets.push(sql`hours = ${jsonb(p.hours)}`);
  if (p.position)
    sets.push(
      sql`geom = ST_SetSRID(ST_MakePoint(${p.position[0]}::float8, ${p.position[1]}::float8), 4326)`,
    );
  const r = await sql`UPDATE service_points SET ${sql.join(sets)}
    WHERE id = ${id} AND closed_at IS NULL`.execute(tx);
  return Number(r.numAffectedRows ?? 0) === 1;
}

export async function setCompounds(tx: Executor, id: number, compoundIds: number[]) {
  await sql`DELETE FROM service_point_compounds WHERE service_point_id = ${id}`.execute(tx);
  await sql`
    INSERT INTO service_point_compounds (service_point_id, compound_id)
    SELECT ${id}, x FROM unnest(${compoundIds}::int[]) AS x ORDER BY x`.execute(tx);
}

export async function closePoint(tx: Executor, id: number, note: string) {
  const r =
    await sql`UPDATE service_points SET closed_at = now(), updated_at = now(), note = ${note}
    WHERE id = ${id} AND closed_at IS NULL`.execute(tx);
  return Number(r.numAffectedRows ?? 0) === 1;
}

/** Whose visits a reader reaches: an area's subtree (or all), or one department's anywhere. */
export type VisitScope = { kind: 'place'; rule: PlaceRule } | { kind: 'department'; id: number };

function visitCondition(scope: VisitScope): RawBuilder<boolean> {
  return scope.kind === 'department'
    ? sql<boolean>`v.department_id = ${scope.id}`
    : placeCondition(scope.rule, sql.ref('v.area_path'), sql.ref('v.compound_id'));
}

export interface VisitRow {
  id: number;
  compoundId: number;
  compoundName: string;
  communityName: string;
  departmentId: number | null;
  departmentName: string | null;
  team: string;
  visitedOn: string;
  topic: EnforcementTopic;
  findings: string;
  ticketId: number | null;
  ticketCode: string | null;
  hazardId: number | null;
  path: number[];
}

const VISIT_SELECT = sql`
  SELECT v.id, v.compound_id AS "compoundId", a.name AS "compoundName", cm.name AS "communityName",
    v.department_id AS "departmentId", d.name AS "departmentName", v.team,
    to_char(v.visited_on, 'YYYY-MM-DD') AS "visitedOn", v.topic, v.findings,
    v.ticket_id AS "ticketId", t.code AS "ticketCode", v.hazard_id AS "hazardId", v.area_path AS path
  FROM enforcement_visits v
  JOIN areas a ON a.id = v.compound_id
  JOIN areas cm ON cm.id = v.area_path[3]
  LEFT JOIN departments d ON d.id = v.department_id
  LEFT JOIN tickets t ON t.id = v.ticket_id`;

export async function listVisits(
  db: Db,
  scope: VisitScope,
  f: { area: number | null; topic?: EnforcementTopic; limit: number; offset: number },
) {
  const where = [visitCondition(scope)];
  if (f.area !== null) where.push(sql`v.area_path @> ARRAY[${f.area}::int]`);
  if (f.topic) where.push(sql`v.topic = ${f.topic}`);
  const cond = sql.join(where, sql` AND `);
  const [items, total] = await Promise.all([
    sql<VisitRow>`${VISIT_SELECT} WHERE ${cond}
      ORDER BY v.visited_on DESC, v.id DESC LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db.kysely),
    sql<{ n: number }>`SELECT count(*)::int AS n FROM enforcement_visits v WHERE ${cond}`.execute(
      db.kysely,
    ),
  ]);
  return { items: items.rows, total: total.rows[0]!.n };
}

export async function findVisit(ex: Executor, id: number) {
  const r = await sql<VisitRow>`${VISIT_SELECT} WHERE v.id = ${id}`.execute(ex);
  return r.rows[0] ?? null;
}

/** Visits per compound since a day, at the compound's label point (the layer). */
export async function visitMap(db: Db, scope: VisitScope, area: number | null, since: string) {
  const r = await sql<{
    id: number;
    name: string;
    position: [number, number];
    visits: number;
    lastOn: string;
    topics: string[];
    followUps: number;
  }>`
    SELECT a.id, a.name,
      json_build_array(round(ST_X(a.label_point)::numeric, 6), round(ST_Y(a.label_point)::numeric, 6)) AS position,
      x.visits, x."lastOn", x.topics, x."followUps"
    FROM (
      SELECT v.compound_id, count(*)::int AS visits,
        to_char(max(v.visited_on), 'YYYY-MM-DD') AS "lastOn",
        array_agg(DISTINCT v.topic) AS topics,
        count(*) FILTER (WHERE v.ticket_id IS NOT NULL OR v.hazard_id IS NOT NULL)::int AS "followUps"
      FROM enforcement_visits v
      WHERE ${visitCondition(scope)} AND v.visited_on >= ${since}::date
        AND ${area === null ? sql`true` : sql`v.area_path @> ARRAY[${area}::int]`}
      GROUP BY v.compound_id
    ) x JOIN areas a ON a.id = x.compound_id
    ORDER BY a.id`.execute(db.kysely);
  return r.rows;
}

export async function compoundOf(db: Db, id: number) {
  const r = await sql<{ id: number; name: string; path: number[]; companyId: number | null }>`
    SELECT a.id, a.name, a.path, k.property_company_id AS "companyId"
    FROM areas a JOIN compounds k ON k.area_id = a.id WHERE a.id = ${id}`.execute(db.kysely);
  return r.rows[0] ?? null;
}

export async function ticketInCompound(db: Db, ticketId: number, compoundId: number) {
  const r =
    await sql`SELECT 1 FROM tickets WHERE id = ${ticketId} AND compound_id = ${compoundId}`.execute(
      db.kysely,
    );
  return r.rows.length > 0;
}

export async function hazardInCompound(db: Db, hazardId: number, compoundId: number) {
  const r =
    await sql`SELECT 1 FROM hazards WHERE id = ${hazardId} AND compound_id = ${compoundId}`.execute(
      db.kysely,
    );
  return r.rows.length > 0;
}

export async function insertVisit(
  tx: Executor,
  v: {
    compoundId: number;
    path: number[];
    departmentId: number | null;
    team: string;
    visitedOn: string;
    topic: EnforcementTopic;
    findings: string;
    ticketId: number | null;
    hazardId: number | null;
    accountId: number;
  },
) {
  const r = await sql<{ id: number }>`
    INSERT INTO enforcement_visits (compound_id, area_path, department_id, team, visited_on, topic,
      findings, ticket_id, hazard_id, account_id)
    VALUES (${v.compoundId}, ${v.path}::int[], ${v.departmentId}, ${v.team}, ${v.visitedOn}::date,
      ${v.topic}, ${v.findings}, ${v.ticketId}, ${v.hazardId}, ${v.accountId})
    RETURNING id`.execute(tx);
  return r.rows[0]!.id;
}
