/**
 * 物业纠纷人民调解's SQL: committees and their figures, cases (list, detail, writes), and the case
 * counts per building and area that the k-anonymous map is built from. Which cases a reader
 * reaches arrives as a CaseScope and is ANDed into every read.
 */
import { sql, type RawBuilder } from 'kysely';
import type { CaseKind, CaseOutcome, CaseStatus } from '../../../geo/mediation.ts';
import type { PlaceRule } from '../../policy.ts';
import type { Db } from '../client.ts';
import type { Executor } from './audit.ts';
import { placeCondition } from './scope.ts';

/** The cases a reader reaches: a place rule (officials) or one committee (its mediators). */
export type CaseScope =
  { kind: 'place'; rule: PlaceRule } | { kind: 'committee'; committeeId: number };

export function caseCondition(scope: CaseScope, alias = 'c'): RawBuilder<boolean> {
  if (scope.kind === 'committee')
    return sql<boolean>`${sql.ref(`${alias}.committee_id`)} = ${scope.committeeId}`;
  return placeCondition(scope.rule, sql.ref(`${alias}.area_path`), sql.ref(`${alias}.compound_id`));
}

export interface MediatorSelf {
  id: number;
  committeeId: number;
  committeeName: string;
  committeeKind: 'company' | 'community';
  companyId: number | null;
  communityId: number | null;
  post: 'director' | 'full_time' | 'part_time';
  name: string;
}

/** The mediator an account is bound to (null: none, or no longer active). */
export async function mediatorOfAccount(db: Db, accountId: number): Promise<MediatorSelf | null> {
  const r = await sql<MediatorSelf>`
    SELECT m.id, m.committee_id AS "committeeId", c.name AS "committeeName",
      c.kind AS "committeeKind", c.property_company_id AS "companyId", c.area_id AS "communityId",
      m.post, m.name
    FROM mediators m JOIN mediation_committees c ON c.id = m.committee_id
    WHERE m.account_id = ${accountId} AND m.active`.execute(db.kysely);
  return r.rows[0] ?? null;
}

const day = (col: string) => sql<string>`to_char(${sql.ref(col)}, 'YYYY-MM-DD')`;

export interface CaseFilter {
  area: number | null;
  kind?: CaseKind;
  status?: 'open' | 'ended' | CaseStatus;
  mine?: number | null;
  limit: number;
  offset: number;
}

export interface CaseRow {
  id: number;
  code: string;
  kind: CaseKind;
  category: string;
  status: CaseStatus;
  outcome: CaseOutcome | null;
  committeeId: number;
  committeeName: string;
  compoundId: number;
  compoundName: string;
  communityName: string;
  buildingId: number | null;
  buildingName: string | null;
  mediatorId: number | null;
  mediatorName: string | null;
  receivedOn: string;
  closedOn: string | null;
  path: number[];
}

const CASE_COLUMNS = sql`c.id, c.code, c.kind, c.category, c.status, c.outcome,
  c.committee_id AS "committeeId", mc.name AS "committeeName",
  c.compound_id AS "compoundId", a.name AS "compoundName", cm.name AS "communityName",
  c.building_id AS "buildingId", b.name AS "buildingName",
  c.mediator_id AS "mediatorId", md.name AS "mediatorName",
  ${day('c.received_on')} AS "receivedOn", ${day('c.closed_on')} AS "closedOn",
  c.area_path AS path`;
const CASE_JOINS = sql`
  JOIN mediation_committees mc ON mc.id = c.committee_id
  JOIN areas a ON a.id = c.compound_id
  JOIN areas cm ON cm.id = c.area_path[3]
  LEFT JOIN buildings b ON b.id = c.building_id
  LEFT JOIN mediators md ON md.id = c.mediator_id`;

/** One page of cases in scope, newest first, with the total. */
export async function listCases(db: Db, scope: CaseScope, f: CaseFilter) {
  const where = [caseCondition(scope)];
  if (f.area !== null) where.push(sql`c.area_path @> ARRAY[${f.area}::int]`);
  if (f.kind) where.push(sql`c.kind = ${f.kind}`);
  if (f.status === 'open') where.push(sql`c.status IN ('accepted', 'investigating', 'mediating')`);
  else if (f.status === 'ended')
    where.push(sql`c.status IN ('closed', 'transferred', 'terminated')`);
  else if (f.status) where.push(sql`c.status = ${f.status}`);
  if (f.mine) where.push(sql`c.mediator_id = ${f.mine}`);
  const cond = sql.join(where, sql` AND `);
  const r = await sql<CaseRow & { total: number }>`
    SELECT ${CASE_COLUMNS}, count(*) OVER ()::int AS total
    FROM mediation_cases c ${CASE_JOINS}
    WHERE ${cond}
    ORDER BY c.received_on DESC, c.id DESC
    LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db.kysely);
  const total =
    r.rows[0]?.total ??
    (f.offset > 0
      ? (
          await sql<{
            n: number;
          }>`SELECT count(*)::int AS n FROM mediation_cases c WHERE ${cond}`.execute(db.kysely)
        ).rows[0]!.n
      : 0);
  return { items: r.rows.map(({ total: _t, ...row }) => row), total };
}

export interface CaseDetailRow extends CaseRow {
  summary: string;
  agreement: string | null;
  companyId: number | null;
}

export async function findCase(ex: Executor, id: number): Promise<CaseDetailRow | null> {
  const r = await sql<CaseDetailRow>`
    SELECT ${CASE_COLUMNS}, c.summary, c.agreement, k.property_company_id AS "companyId"
    FROM mediation_cases c ${CASE_JOINS}
    JOIN compounds k ON k.area_id = c.compound_id
    WHERE c.id = ${id}`.execute(ex);
  return r.rows[0] ?? null;
}

export async function caseSteps(ex: Executor, id: number) {
  const r = await sql<{
    id: number;
    step: CaseStatus;
    onDate: string;
    note: string | null;
    mediatorName: string | null;
  }>`
    SELECT s.id, s.step, ${day('s.on_date')} AS "onDate", s.note, m.name AS "mediatorName"
    FROM mediation_steps s LEFT JOIN mediators m ON m.id = s.mediator_id
    WHERE s.case_id = ${id} ORDER BY s.on_date, s.id`.execute(ex);
  return r.rows;
}

export async function caseParties(ex: Executor, id: number) {
  const r = await sql<{ side: 'applicant' | 'respondent'; name: string; phone: string | null }>`
    SELECT side, name, phone FROM mediation_parties WHERE case_id = ${id}
    ORDER BY (side = 'respondent'), id`.execute(ex);
  return r.rows;
}

/** Whether a committee serves a compound: its sponsor manages it, or it lies in its community. */
export async function compoundServed(db: Db, committeeId: number, compoundId: number) {
  const r = await sql<{ path: number[]; name: string }>`
    SELECT a.path, a.name FROM areas a JOIN compounds k ON k.area_id = a.id
    JOIN mediation_committees m ON m.id = ${committeeId}
    WHERE a.id = ${compoundId} AND a.level = 'compound'
      AND ((m.kind = 'company' AND k.property_company_id = m.property_company_id)
        OR (m.kind = 'community' AND a.path[3] = m.area_id))`.execute(db.kysely);
  return r.rows[0] ?? null;
}

export async function buildingInCompound(db: Db, buildingId: number, compoundId: number) {
  const r = await sql<{ id: number }>`
    SELECT id FROM buildings WHERE id = ${buildingId} AND compound_id = ${compoundId}`.execute(
    db.kysely,
  );
  return r.rows.length > 0;
}

export async function mediatorInCommittee(db: Db, mediatorId: number, committeeId: number) {
  const r = await sql<{ id: number }>`
    SELECT id FROM mediators WHERE id = ${mediatorId} AND committee_id = ${committeeId}
      AND active`.execute(db.kysely);
  return r.rows.length > 0;
}

export interface NewCase {
  committeeId: number;
  kind: CaseKind;
  category: string;
  compoundId: number;
  buildingId: number | null;
  path: number[];
  mediatorId: number;
  summary: string;
  receivedOn: string;
  parties: { side: 'applicant' | 'respondent'; name: string; phone: string | null }[];
  accountId: number;
}

/** Inserts a case with its parties and its 受理 step; returns its id and code. */
export async function insertCase(tx: Executor, c: NewCase) {
  const r = await sql<{ id: number; code: string }>`
    INSERT INTO mediation_cases (code, committee_id, kind, category, compound_id, building_id,
      area_path, mediator_id, summary, status, received_on)
    VALUES ('TJ' || to_char(${c.receivedOn}::date, 'YYYYMMDD') || '-N'
        || lpad(nextval(pg_get_serial_sequence('mediation_cases', 'id'))::text, 6, '0'),
      ${c.committeeId}, ${c.kind}, ${c.category}, ${c.compoundId}, ${c.buildingId},
      ${c.path}::int[], ${c.mediatorId}, ${c.summary}, 'accepted', ${c.receivedOn}::date)
    RETURNING id, code`.execute(tx);
  const { id, code } = r.rows[0]!;
  // The code's number came from the sequence; the row's id from the same call's default.
  await sql`
    INSERT INTO mediation_parties (case_id, side, name, phone)
    SELECT ${id}, p.side, p.name, nullif(p.phone, '')
    FROM unnest(${c.parties.map((p) => p.side)}::text[], ${c.parties.map((p) => p.name)}::text[],
      ${c.parties.map((p) => p.phone ?? '')}::text[]) WITH ORDINALITY AS p(side, name, phone, n)
    ORDER BY p.n`.execute(tx);
  await insertStep(tx, id, {
    step: 'accepted',
    onDate: c.receivedOn,
    note: null,
    mediatorId: c.mediatorId,
    accountId: c.accountId,
  });
  return { id, code };
}

export async function insertStep(
  tx: Executor,
  caseId: number,
  s: {
    step: CaseStatus;
    onDate: string;
    note: string | null;
    mediatorId: number | null;
    accountId: number;
  },
) {
  await sql`
    INSERT INTO mediation_steps (case_id, step, on_date, note, mediator_id, account_id)
    VALUES (${caseId}, ${s.step}, ${s.onDate}::date, ${s.note}, ${s.mediatorId}, ${s.accountId})`.execute(
    tx,
  );
}

/** Moves a case on from `from`; false when it moved meanwhile (nothing written). */
export async function moveCase(
  tx: Executor,
  id: number,
  from: CaseStatus,
  to: {
    status: CaseStatus;
    outcome: CaseOutcome | null;
    agreement: string | null;
    closedOn: string | null;
  },
) {
  const r = await sql`
    UPDATE mediation_cases SET status = ${to.status}, outcome = ${to.outcome},
      agreement = ${to.agreement}, closed_on = ${to.closedOn}::date, updated_at = now()
    WHERE id = ${id} AND status = ${from}`.execute(tx);
  return Number(r.numAffectedRows ?? 0) === 1;
}

/** The last step's date of a case (a new step may not be dated before it). */
export async function lastStepOn(ex: Executor, id: number): Promise<string> {
  const r = await sql<{ d: string }>`
    SELECT ${day('x.d')} AS d FROM (SELECT max(on_date) AS d FROM mediation_steps
      WHERE case_id = ${id}) x`.execute(ex);
  return r.rows[0]!.d;
}

/** Cases in scope since a day, counted per compound path and building (null: no building). */
export async function caseCounts(db: Db, scope: CaseScope, since: string) {
  const r = await sql<{ path: number[]; buildingId: number | null; n: number }>`
    SELECT c.area_path AS path, c.building_id AS "buildingId", count(*)::int AS n
    FROM mediation_cases c
    WHERE ${caseCondition(scope)} AND c.received_on >= ${since}::date
    GROUP BY c.area_path, c.building_id`.execute(db.kysely);
  return r.rows;
}

/** Names and label points of areas and buildings, for the map's shown places. */
export async function placesOf(db: Db, areaIds: number[], buildingIds: number[]) {
  const r = await sql<{
    kind: 'area' | 'building';
    id: number;
    name: string;
    level: string | null;
    position: [number, number];
  }>`
    SELECT 'area' AS kind, a.id, a.name, a.level,
      json_build_array(round(ST_X(a.label_point)::numeric, 6), round(ST_Y(a.label_point)::numeric, 6)) AS position
    FROM areas a WHERE a.id = ANY(${areaIds}::int[])
    UNION ALL
    SELECT 'building', b.id, b.name, NULL,
      json_build_array(round(ST_X(ST_PointOnSurface(b.geom))::numeric, 6),
        round(ST_Y(ST_PointOnSurface(b.geom))::numeric, 6))
    FROM buildings b WHERE b.id = ANY(${buildingIds}::int[])`.execute(db.kysely);
  return r.rows;
}

/** Committees that have cases in scope (or, for a community's, lie in it), with their figures. */
export async function committeesOf(db: Db, scope: CaseScope, area: number | null, since: string) {
  const inArea = area === null ? sql`true` : sql`c.area_path @> ARRAY[${area}::int]`;
  const committeeWhere =
    scope.kind === 'committee'
      ? sql`m.id = ${scope.committeeId}`
      : sql`m.id IN (SELECT DISTINCT c.committee_id FROM mediation_cases c
          WHERE ${caseCondition(scope)} AND ${inArea})
        OR (m.kind = 'community' AND ${placeCondition(scope.rule, sql.ref('m.area_path'), null)}
          AND ${area === null ? sql`true` : sql`m.area_path @> ARRAY[${area}::int]`})`;
  const r = await sql<{
    id: number;
    kind: 'company' | 'community';
    name: string;
    rooms: number;
    mediators: number;
    fullTime: number;
    partTime: number;
    complaints: number;
    consultations: number;
    disputes: number;
    resolved: number;
    open: number;
  }>`
    SELECT m.id, m.kind, m.name,
      (SELECT count(*)::int FROM mediation_rooms r WHERE r.committee_id = m.id) AS rooms,
      (SELECT count(*)::int FROM mediators d WHERE d.committee_id = m.id AND d.active) AS mediators,
      (SELECT count(*)::int FROM mediators d WHERE d.committee_id = m.id AND d.active
        AND d.post IN ('director', 'full_time')) AS "fullTime",
      (SELECT count(*)::int FROM mediators d WHERE d.committee_id = m.id AND d.active
        AND d.post = 'part_time') AS "partTime",
      coalesce(x.complaints, 0) AS complaints, coalesce(x.consultations, 0) AS consultations,
      coalesce(x.disputes, 0) AS disputes, coalesce(x.resolved, 0) AS resolved,
      coalesce(x.open, 0) AS open
    FROM mediation_committees m
    LEFT JOIN LATERAL (
      SELECT count(*) FILTER (WHERE c.kind = 'complaint')::int AS complaints,
        count(*) FILTER (WHERE c.kind = 'consultation')::int AS consultations,
        count(*) FILTER (WHERE c.kind = 'dispute')::int AS disputes,
        count(*) FILTER (WHERE c.kind = 'dispute' AND c.outcome = 'success')::int AS resolved,
        count(*) FILTER (WHERE c.status IN ('accepted', 'investigating', 'mediating'))::int AS open
      FROM mediation_cases c
      WHERE c.committee_id = m.id AND c.received_on >= ${since}::date
        AND ${caseCondition(scope)} AND ${inArea}
    ) x ON true
    WHERE ${committeeWhere}
    ORDER BY (m.kind = 'company') DESC, coalesce(x.complaints + x.consultations + x.disputes, 0) DESC,
      m.id
    LIMIT 200`.execute(db.kysely);
  return r.rows;
}

/** Cases in scope per month (received) by kind and outcome, over the months since `since`. */
export async function monthlyFigures(db: Db, scope: CaseScope, area: number | null, since: string) {
  const inArea = area === null ? sql`true` : sql`c.area_path @> ARRAY[${area}::int]`;
  const r = await sql<{
    month: string;
    complaints: number;
    consultations: number;
    disputes: number;
    resolved: number;
  }>`
    SELECT to_char(date_trunc('month', c.received_on), 'YYYY-MM') AS month,
      count(*) FILTER (WHERE c.kind = 'complaint')::int AS complaints,
      count(*) FILTER (WHERE c.kind = 'consultation')::int AS consultations,
      count(*) FILTER (WHERE c.kind = 'dispute')::int AS disputes,
      count(*) FILTER (WHERE c.kind = 'dispute' AND c.outcome = 'success')::int AS resolved
    FROM mediation_cases c
    WHERE ${caseCondition(scope)} AND ${inArea} AND c.received_on >= ${since}::date
    GROUP BY 1 ORDER BY 1`.execute(db.kysely);
  return r.rows;
}

/** The active mediators of a committee (names only: their phones are not for the panel). */
export async function committeeMediators(db: Db, committeeId: number) {
  const r = await sql<{ id: number; name: string; post: string }>`
    SELECT id, name, post FROM mediators WHERE committee_id = ${committeeId} AND active
    ORDER BY (post <> 'director'), (post <> 'full_time'), id`.execute(db.kysely);
  return r.rows;
}
