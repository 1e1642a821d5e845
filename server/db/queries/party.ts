/**
 * The party organisation's SQL: places, coverage of an area's children, the organisation tree of
 * a compound or a community, the gap list, and the writes (党员中心户, gap tasks). Scope arrives
 * as a PlaceRule and is ANDed into every read through `placeCondition`.
 */
import { sql } from 'kysely';
import type { CoverageCounts, GapKind } from '../../../geo/party.ts';
import type { PlaceRule } from '../../policy.ts';
import type { Db } from '../client.ts';
import type { Executor } from './audit.ts';
import { placeCondition } from './scope.ts';

export interface Place {
  id: number;
  name: string;
  level: 'district' | 'subdistrict' | 'community' | 'grid' | 'compound';
  path: number[];
  companyId: number | null;
}

/** An area with its path (and its company, for a compound); null if there is none. */
export async function findPlace(db: Db, id: number): Promise<Place | null> {
  const r = await sql<Place>`
    SELECT a.id, a.name, a.level, a.path, c.property_company_id AS "companyId"
    FROM areas a LEFT JOIN compounds c ON c.area_id = a.id
    WHERE a.id = ${id}`.execute(db.kysely);
  return r.rows[0] ?? null;
}

/** One child area's coverage counts (geo/party.ts computes the shares and the score from them). */
export interface CoverageRow extends CoverageCounts {
  id: number;
  name: string;
  level: string;
}

/**
 * Coverage counts of the areas at `depth` (1 districts … 5 compounds) under `areaId` (null: the
 * city), one row per such area, in one pass over the compounds of the subtree.
 */
export async function coverageOf(
  db: Db,
  areaId: number | null,
  depth: number,
  today: string,
): Promise<CoverageRow[]> {
  const under = (col: string) =>
    areaId === null ? sql`true` : sql`${sql.ref(col)} @> ARRAY[${areaId}::int]`;
  const r = await sql<CoverageRow>`
    WITH cs AS (
      SELECT a.path[${depth}] AS child, c.area_id,
        c.property_company_id IS NOT NULL AS co, c.has_owners_committee AS oc,
        c.has_party_branch AS pb, c.provincial_demonstration AS demo,
        (c.property_company_id IS NULL OR NOT c.has_owners_committee) AS needs
      FROM compounds c JOIN areas a ON a.id = c.area_id
      WHERE ${under('a.path')}
    ), bs AS (
      SELECT b.compound_id, count(*)::int AS n, count(s.building_id)::int AS st
      FROM buildings b JOIN cs ON cs.area_id = b.compound_id
      LEFT JOIN building_stewards s ON s.building_id = b.id
      GROUP BY b.compound_id
    ), gs AS (
      SELECT g.compound_id, count(*)::int AS open,
        count(*) FILTER (WHERE g.due_on < ${today}::date)::int AS overdue
      FROM gap_tasks g
      WHERE g.status <> 'closed' AND ${under('g.area_path')}
      GROUP BY g.compound_id
    ), ps AS (
      SELECT p.compound_id, count(DISTINCT p.kind) = 2 AS both_
      FROM compound_pairings p JOIN cs ON cs.area_id = p.compound_id
      GROUP BY p.compound_id
    )
    SELECT ch.id, ch.name, ch.level,
      count(cs.area_id)::int AS compounds,
      count(*) FILTER (WHERE cs.co)::int AS "withCompany",
      count(*) FILTER (WHERE cs.oc)::int AS "withCommittee",
      count(*) FILTER (WHERE cs.pb)::int AS "withBranch",
      count(*) FILTER (WHERE cs.demo)::int AS demonstration,
      coalesce(sum(bs.n), 0)::int AS buildings,
      coalesce(sum(bs.st), 0)::int AS "buildingsWithSteward",
      count(*) FILTER (WHERE cs.needs)::int AS "needPairing",
      count(*) FILTER (WHERE cs.needs AND ps.both_)::int AS paired,
      coalesce(sum(gs.open), 0)::int AS "openGaps",
      coalesce(sum(gs.overdue), 0)::int AS "overdueGaps"
    FROM areas ch
    LEFT JOIN cs ON cs.child = ch.id
    LEFT JOIN bs ON bs.compound_id = cs.area_id
    LEFT JOIN gs ON gs.compound_id = cs.area_id
    LEFT JOIN ps ON ps.compound_id = cs.area_id
    WHERE array_length(ch.path, 1) = ${depth} AND ${under('ch.path')}
      AND ch.level <> 'grid'
    GROUP BY ch.id, ch.name, ch.level
    ORDER BY ch.name`.execute(db.kysely);
  return r.rows;
}

/** The outlines of the areas at `depth` under `areaId`, simplified for the zoom, as GeoJSON. */
export async function outlinesOf(
  db: Db,
  areaId: number | null,
  depth: number,
  tolerance: number,
): Promise<{ id: number; geometry: unknown; labelPoint: [number, number] }[]> {
  const under = areaId === null ? sql`true` : sql`a.path @> ARRAY[${areaId}::int]`;
  const r = await sql<{ id: number; geometry: unknown; labelPoint: [number, number] }>`
    SELECT a.id, ST_AsGeoJSON(ST_SimplifyPreserveTopology(a.geom, ${tolerance}), 6)::json AS geometry,
      json_build_array(round(ST_X(a.label_point)::numeric, 6), round(ST_Y(a.label_point)::numeric, 6)) AS "labelPoint"
    FROM areas a
    WHERE array_length(a.path, 1) = ${depth} AND a.level <> 'grid' AND ${under}`.execute(db.kysely);
  return r.rows;
}

/** A compound's buildings as GeoJSON, with whether each has a 党员中心户 and open gap tasks. */
export async function buildingOutlines(db: Db, compoundId: number, today: string) {
  const r = await sql<{
    id: number;
    name: string;
    geometry: unknown;
    labelPoint: [number, number];
    covered: boolean;
    openGaps: number;
    overdueGaps: number;
  }>`
    SELECT b.id, b.name, ST_AsGeoJSON(b.geom, 6)::json AS geometry,
      json_build_array(round(ST_X(ST_PointOnSurface(b.geom))::numeric, 6),
                       round(ST_Y(ST_PointOnSurface(b.geom))::numeric, 6)) AS "labelPoint",
      EXISTS (SELECT 1 FROM building_stewards s WHERE s.building_id = b.id) AS covered,
      (SELECT count(*)::int FROM gap_tasks g WHERE g.building_id = b.id AND g.status <> 'closed') AS "openGaps",
      (SELECT count(*)::int FROM gap_tasks g WHERE g.building_id = b.id AND g.status <> 'closed'
         AND g.due_on < ${today}::date) AS "overdueGaps"
    FROM buildings b WHERE b.compound_id = ${compoundId}
    ORDER BY b.id`.execute(db.kysely);
  return r.rows;
}

export interface MemberRow {
  id: number;
  orgId: number;
  name: string;
  gender: 'male' | 'female';
  birthYear: number;
  phone: string;
  joinedOn: string;
  post: string | null;
  buildingId: number | null;
  buildingName: string | null;
  companyId: number | null;
  companyName: string | null;
  covers: number[];
}

export interface OrgRow {
  id: number;
  parentId: number | null;
  kind: string;
  name: string;
  areaId: number;
  areaName: string;
  foundedOn: string;
  memberCount: number;
  buildingIds: number[];
}

const orgColumns = sql`o.id, o.parent_id AS "parentId", o.kind, o.name, o.area_id AS "areaId",
  a.name AS "areaName", to_char(o.founded_on, 'YYYY-MM-DD') AS "foundedOn",
  (SELECT count(*)::int FROM party_members m WHERE m.org_id = o.id AND m.active) AS "memberCount"`;

const memberColumns = sql`m.id, m.org_id AS "orgId", m.name, m.gender, m.birth_year AS "birthYear",
  m.phone, to_char(m.joined_on, 'YYYY-MM-DD') AS "joinedOn", m.post, m.building_id AS "buildingId",
  b.name AS "buildingName", m.company_id AS "companyId", pc.name AS "companyName",
  coalesce((SELECT array_agg(s.building_id ORDER BY s.building_id) FROM building_stewards s
            WHERE s.member_id = m.id), '{}') AS covers`;

const POST_ORDER = sql`CASE m.post WHEN 'secretary' THEN 0 WHEN 'deputy_secretary' THEN 1
  WHEN 'committee_member' THEN 2 WHEN 'group_leader' THEN 3 ELSE 4 END`;

/** A compound's organisation: its branch and groups with every member, and what it is paired with. */
export async function compoundTree(db: Db, compoundId: number) {
  const orgs = await sql<OrgRow>`
    SELECT ${orgColumns},
      coalesce((SELECT array_agg(DISTINCT s.building_id ORDER BY s.building_id)
        FROM party_members m2 JOIN building_stewards s ON s.member_id = m2.id
        WHERE m2.org_id = o.id), '{}') AS "buildingIds"
    FROM party_orgs o JOIN areas a ON a.id = o.area_id
    WHERE o.area_id = ${compoundId} AND o.kind IN ('compound_branch', 'building_group')
    ORDER BY o.kind = 'building_group', o.id`.execute(db.kysely);
  const members = await sql<MemberRow>`
    SELECT ${memberColumns}
    FROM party_members m
    JOIN party_orgs o ON o.id = m.org_id
    LEFT JOIN buildings b ON b.id = m.building_id
    LEFT JOIN property_companies pc ON pc.id = m.company_id
    WHERE o.area_id = ${compoundId} AND o.kind IN ('compound_branch', 'building_group') AND m.active
    ORDER BY m.org_id, ${POST_ORDER}, m.id`.execute(db.kysely);
  const buildings = await sql<{
    id: number;
    name: string;
    households: number;
    stewardId: number | null;
    since: string | null;
  }>`
    SELECT b.id, b.name, b.households, s.member_id AS "stewardId",
      to_char(s.since, 'YYYY-MM-DD') AS since
    FROM buildings b LEFT JOIN building_stewards s ON s.building_id = b.id
    WHERE b.compound_id = ${compoundId}
    ORDER BY b.id`.execute(db.kysely);
  // Stewards who are not in the compound's own orgs (a grid branch's, a community's).
  const outside = await sql<MemberRow>`
    SELECT ${memberColumns}
    FROM building_stewards s
    JOIN buildings sb ON sb.id = s.building_id AND sb.compound_id = ${compoundId}
    JOIN party_members m ON m.id = s.member_id
    JOIN party_orgs o ON o.id = m.org_id
    LEFT JOIN buildings b ON b.id = m.building_id
    LEFT JOIN property_companies pc ON pc.id = m.company_id
    WHERE NOT (o.area_id = ${compoundId} AND o.kind IN ('compound_branch', 'building_group'))
    GROUP BY m.id, b.name, pc.name`.execute(db.kysely);
  const committee = await sql<{ electedOn: string; termEndsOn: string }>`
    SELECT to_char(elected_on, 'YYYY-MM-DD') AS "electedOn",
      to_char(term_ends_on, 'YYYY-MM-DD') AS "termEndsOn"
    FROM owners_committees WHERE compound_id = ${compoundId}`.execute(db.kysely);
  const committeeMembers = await sql<{
    id: number;
    name: string;
    phone: string;
    post: string;
    partyMemberId: number | null;
    partyPost: string | null;
    partyOrgKind: string | null;
    companyId: number | null;
  }>`
    SELECT cm.id, cm.name, cm.phone, cm.post, cm.party_member_id AS "partyMemberId",
      m.post AS "partyPost", o.kind AS "partyOrgKind", m.company_id AS "companyId"
    FROM committee_members cm
    LEFT JOIN party_members m ON m.id = cm.party_member_id
    LEFT JOIN party_orgs o ON o.id = m.org_id
    WHERE cm.compound_id = ${compoundId}
    ORDER BY CASE cm.post WHEN 'chair' THEN 0 WHEN 'vice_chair' THEN 1 ELSE 2 END, cm.id`.execute(
    db.kysely,
  );
  const pairings = await pairingsOf(db, [compoundId]);
  return {
    orgs: orgs.rows,
    members: [...members.rows, ...outside.rows],
    buildings: buildings.rows,
    committee: committee.rows[0] ?? null,
    committeeMembers: committeeMembers.rows,
    pairings,
  };
}

export async function pairingsOf(db: Db, compoundIds: number[]) {
  const r = await sql<{
    compoundId: number;
    kind: 'liaison' | 'caretaker';
    orgId: number;
    orgName: string;
    orgKind: string;
    since: string;
  }>`
    SELECT p.compound_id AS "compoundId", p.kind, p.org_id AS "orgId", o.name AS "orgName",
      o.kind AS "orgKind", to_char(p.since, 'YYYY-MM-DD') AS since
    FROM compound_pairings p JOIN party_orgs o ON o.id = p.org_id
    WHERE p.compound_id = ANY(${compoundIds}::int[])
    ORDER BY p.compound_id, p.kind`.execute(db.kysely);
  return r.rows;
}

/** A community's organisation: every org of it, with the office-holders of each. */
export async function communityTree(db: Db, communityId: number) {
  const orgs = await sql<OrgRow>`
    SELECT ${orgColumns}, '{}'::int[] AS "buildingIds"
    FROM party_orgs o JOIN areas a ON a.id = o.area_id
    WHERE o.area_path @> ARRAY[${communityId}::int]
    ORDER BY CASE o.kind WHEN 'community_committee' THEN 0 WHEN 'grid_branch' THEN 1
      WHEN 'compound_branch' THEN 2 ELSE 3 END, a.name, o.id`.execute(db.kysely);
  const members = await sql<MemberRow>`
    SELECT ${memberColumns}
    FROM party_members m
    JOIN party_orgs o ON o.id = m.org_id
    LEFT JOIN buildings b ON b.id = m.building_id
    LEFT JOIN property_companies pc ON pc.id = m.company_id
    WHERE o.area_path @> ARRAY[${communityId}::int] AND m.post IS NOT NULL AND m.active
    ORDER BY m.org_id, ${POST_ORDER}, m.id`.execute(db.kysely);
  return { orgs: orgs.rows, members: members.rows };
}

/**
 * Who may become a compound's 党员中心户: the active members of its own branch and groups, of its
 * grid's branch, and of its community's committee living in the compound.
 */
export async function stewardCandidates(db: Db, compound: Place): Promise<MemberRow[]> {
  const r = await sql<MemberRow>`
    SELECT ${memberColumns}
    FROM party_members m
    JOIN party_orgs o ON o.id = m.org_id
    LEFT JOIN buildings b ON b.id = m.building_id
    LEFT JOIN property_companies pc ON pc.id = m.company_id
    WHERE m.active AND (
      o.area_id = ${compound.id}
      OR (o.kind = 'grid_branch' AND o.area_id = ${compound.path[3] ?? 0})
      OR (o.kind = 'community_committee' AND b.compound_id = ${compound.id}))
    ORDER BY o.area_id <> ${compound.id}, ${POST_ORDER}, m.id`.execute(db.kysely);
  return r.rows;
}

export async function findBuilding(db: Db, id: number) {
  const r = await sql<{
    id: number;
    name: string;
    compoundId: number;
    path: number[];
    companyId: number | null;
    stewardId: number | null;
    since: string | null;
  }>`
    SELECT b.id, b.name, b.compound_id AS "compoundId", a.path,
      c.property_company_id AS "companyId", s.member_id AS "stewardId",
      to_char(s.since, 'YYYY-MM-DD') AS since
    FROM buildings b JOIN areas a ON a.id = b.compound_id
    JOIN compounds c ON c.area_id = b.compound_id
    LEFT JOIN building_stewards s ON s.building_id = b.id
    WHERE b.id = ${id}`.execute(db.kysely);
  return r.rows[0] ?? null;
}

export async function findMember(db: Db, id: number) {
  const r = await sql<{ id: number; name: string; active: boolean; orgPath: number[] }>`
    SELECT m.id, m.name, m.active, o.area_path AS "orgPath"
    FROM party_members m JOIN party_orgs o ON o.id = m.org_id
    WHERE m.id = ${id}`.execute(db.kysely);
  return r.rows[0] ?? null;
}

export async function setSteward(tx: Executor, buildingId: number, memberId: number, on: string) {
  await sql`
    INSERT INTO building_stewards (building_id, member_id, since) VALUES (${buildingId}, ${memberId}, ${on}::date)
    ON CONFLICT (building_id) DO UPDATE SET member_id = EXCLUDED.member_id, since = EXCLUDED.since`.execute(
    tx,
  );
}

export async function removeSteward(tx: Executor, buildingId: number): Promise<boolean> {
  const r = await sql`DELETE FROM building_stewards WHERE building_id = ${buildingId}`.execute(tx);
  return Number(r.numAffectedRows ?? 0) > 0;
}

// ---------------------------------------------------------------------------------------------
// Gap tasks

export interface GapRow {
  id: number;
  kind: GapKind;
  compoundId: number;
  compoundName: string;
  buildingId: number | null;
  buildingName: string | null;
  status: 'open' | 'assigned' | 'closed';
  assignee: string | null;
  dueOn: string | null;
  note: string;
  openedAt: string;
  closedAt: string | null;
  resolution: 'filled' | 'waived' | null;
  overdue: boolean;
  path: number[];
}

export interface GapFilter {
  areaId: number | null;
  kind?: GapKind;
  status: 'active' | 'open' | 'assigned' | 'closed' | 'all';
  overdue?: boolean;
  limit: number;
  offset: number;
  today: string;
}

const gapColumns = (today: string) => sql`g.id, g.kind, g.compound_id AS "compoundId",
  a.name AS "compoundName", g.building_id AS "buildingId", b.name AS "buildingName", g.status,
  g.assignee, to_char(g.due_on, 'YYYY-MM-DD') AS "dueOn", g.note,
  to_char(g.opened_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "openedAt",
  to_char(g.closed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "closedAt",
  g.resolution, (g.status <> 'closed' AND g.due_on < ${today}::date) AS overdue, g.area_path AS path`;

export async function listGaps(db: Db, rule: PlaceRule, f: GapFilter) {
  const where = sql.join(
    [
      placeCondition(rule, sql.ref('g.area_path'), sql.ref('g.compound_id')),
      f.areaId === null ? sql`true` : sql`g.area_path @> ARRAY[${f.areaId}::int]`,
      f.kind ? sql`g.kind = ${f.kind}` : sql`true`,
      f.status === 'active'
        ? sql`g.status <> 'closed'`
        : f.status === 'all'
          ? sql`true`
          : sql`g.status = ${f.status}`,
      f.overdue === undefined
        ? sql`true`
        : f.overdue
          ? sql`(g.status <> 'closed' AND g.due_on < ${f.today}::date)`
          : sql`NOT (g.status <> 'closed' AND coalesce(g.due_on < ${f.today}::date, false))`,
    ],
    sql` AND `,
  );
  const r = await sql<GapRow & { total: number }>`
    SELECT ${gapColumns(f.today)}, count(*) OVER ()::int AS total
    FROM gap_tasks g
    JOIN areas a ON a.id = g.compound_id
    LEFT JOIN buildings b ON b.id = g.building_id
    WHERE ${where}
    ORDER BY (g.status <> 'closed' AND g.due_on < ${f.today}::date) DESC NULLS LAST,
      g.status = 'closed', g.opened_at DESC, g.id DESC
    LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db.kysely);
  const total = r.rows[0]?.total ?? 0;
  return { items: r.rows.map(({ total: _t, ...row }) => row), total };
}

export async function findGap(db: Executor, id: number, today: string): Promise<GapRow | null> {
  const r = await sql<GapRow>`
    SELECT ${gapColumns(today)}
    FROM gap_tasks g JOIN areas a ON a.id = g.compound_id
    LEFT JOIN buildings b ON b.id = g.building_id
    WHERE g.id = ${id}`.execute(db);
  return r.rows[0] ?? null;
}

export async function assignGap(
  tx: Executor,
  id: number,
  v: { assignee: string; dueOn: string; note: string; accountId: number | null },
) {
  const r = await sql`
    UPDATE gap_tasks SET status = 'assigned', assignee = ${v.assignee}, due_on = ${v.dueOn}::date,
      note = ${v.note}, assignee_account_id = ${v.accountId}
    WHERE id = ${id} AND status <> 'closed'`.execute(tx);
  return Number(r.numAffectedRows ?? 0) > 0;
}

export async function waiveGap(tx: Executor, id: number, reason: string, at: Date) {
  const r = await sql`
    UPDATE gap_tasks SET status = 'closed', resolution = 'waived', note = ${reason}, closed_at = ${at}
    WHERE id = ${id} AND status <> 'closed'`.execute(tx);
  return Number(r.numAffectedRows ?? 0) > 0;
}
