/**
 * 四方联席会议 and the three lists: the SQL of proposals and their steps, joint meetings, needs,
 * resources, projects with their matches and milestones, map evidence (ticket clusters) and the
 * before/after ticket counts of finished projects. Scope arrives as a PlaceRule and is ANDed into
 * every read through `placeCondition`; the public's reads pass `published` only.
 */
import { sql, type RawBuilder } from 'kysely';
import type { ProposalStage, ProposalStep } from '../../../geo/deliberation.ts';
import type { PlaceRule, ReadRule } from '../../policy.ts';
import type { Db } from '../client.ts';
import { jsonb } from '../postgis.ts';
import type { Executor } from './audit.ts';
import { placeCondition, scopeCondition } from './scope.ts';

const iso = (col: RawBuilder<unknown>) =>
  sql<string>`to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
const day = (col: RawBuilder<unknown>) => sql<string>`to_char(${col}, 'YYYY-MM-DD')`;
const ref = (name: string) => sql.ref(name) as unknown as RawBuilder<unknown>;
/** A Beijing calendar day's first moment, as timestamptz (tickets are timed in UTC). */
const dayStart = (d: string) => sql`(${d}::date::timestamp AT TIME ZONE 'Asia/Shanghai')`;
/** Today in Beijing as a date, for the stage deadlines. */
const beijingDay = (col: RawBuilder<unknown>) => sql`(${col} AT TIME ZONE 'Asia/Shanghai')::date`;

/** The compound (or community) a record is written for, with what scope needs. */
export interface Place {
  id: number;
  name: string;
  level: 'district' | 'subdistrict' | 'community' | 'grid' | 'compound';
  path: number[];
  companyId: number | null;
}

export async function findPlace(db: Executor, id: number): Promise<Place | null> {
  const r = await sql<Place>`
    SELECT a.id, a.name, a.level, a.path, c.property_company_id AS "companyId"
    FROM areas a LEFT JOIN compounds c ON c.area_id = a.id
    WHERE a.id = ${id}`.execute(db);
  return r.rows[0] ?? null;
}

/**
 * The overdue condition of geo/deliberation.ts (stageDeadline) in SQL: submitted 15 days,
 * accepted and returned 30, decided past the action's deadline.
 */
const overdueSql = (today: string) => sql<boolean>`(CASE p.stage
    WHEN 'submitted' THEN ${beijingDay(ref('p.staged_at'))} + 15 < ${today}::date
    WHEN 'accepted' THEN ${beijingDay(ref('p.staged_at'))} + 30 < ${today}::date
    WHEN 'returned' THEN ${beijingDay(ref('p.staged_at'))} + 30 < ${today}::date
    WHEN 'decided' THEN p.due_on < ${today}::date
    ELSE false END)`;

export interface ProposalRow {
  id: number;
  compoundId: number;
  compoundName: string;
  topic: string;
  category: string;
  title: string;
  body: string;
  source: 'owner' | 'resident' | 'evidence';
  proposerName: string | null;
  proposerPhone: string | null;
  evidence: unknown;
  stage: ProposalStage;
  submittedAt: string;
  stagedAt: string;
  stagedOn: string;
  meetingId: number | null;
  decision: string | null;
  actionOwner: string | null;
  dueOn: string | null;
  result: string | null;
  publishedOn: string | null;
  overdue: boolean;
  path: number[];
  companyId: number | null;
  position: [number, number];
}

const proposalColumns = (today: string) => sql`p.id, p.compound_id AS "compoundId",
  a.name AS "compoundName", p.topic, p.category, p.title, p.body, p.source,
  p.proposer_name AS "proposerName", p.proposer_phone AS "proposerPhone", p.evidence, p.stage,
  ${iso(ref('p.submitted_at'))} AS "submittedAt", ${iso(ref('p.staged_at'))} AS "stagedAt",
  ${day(beijingDay(ref('p.staged_at')))} AS "stagedOn", p.meeting_id AS "meetingId", p.decision,
  p.action_owner AS "actionOwner", ${day(ref('p.due_on'))} AS "dueOn", p.result,
  ${day(ref('p.published_on'))} AS "publishedOn", ${overdueSql(today)} AS overdue,
  p.area_path AS path, c.property_company_id AS "companyId",
  json_build_array(round(ST_X(a.label_point)::numeric, 6), round(ST_Y(a.label_point)::numeric, 6)) AS position`;

export interface ProposalFilter {
  areaId: number | null;
  compoundId?: number;
  stage?: ProposalStage | 'open';
  topic?: string;
  category?: string;
  overdue?: boolean;
  publishedOnly: boolean;
  limit: number;
  offset: number;
  today: string;
}

export async function listProposals(db: Db, rule: PlaceRule, f: ProposalFilter) {
  const where = sql.join(
    [
      f.publishedOnly
        ? sql`p.stage = 'published'`
        : placeCondition(rule, sql.ref('p.area_path'), sql.ref('p.compound_id')),
      f.areaId === null ? sql`true` : sql`p.area_path @> ARRAY[${f.areaId}::int]`,
      f.compoundId === undefined ? sql`true` : sql`p.compound_id = ${f.compoundId}`,
      f.stage === undefined
        ? sql`true`
        : f.stage === 'open'
          ? sql`p.stage IN ('submitted', 'returned', 'accepted', 'decided')`
          : sql`p.stage = ${f.stage}`,
      f.topic === undefined ? sql`true` : sql`p.topic = ${f.topic}`,
      f.category === undefined ? sql`true` : sql`p.category = ${f.category}`,
      f.overdue === undefined
        ? sql`true`
        : f.overdue
          ? overdueSql(f.today)
          : sql`NOT ${overdueSql(f.today)}`,
    ],
    sql` AND `,
  );
  const r = await sql<ProposalRow & { total: number }>`
    SELECT ${proposalColumns(f.today)}, count(*) OVER ()::int AS total
    FROM proposals p
    JOIN areas a ON a.id = p.compound_id
    JOIN compounds c ON c.area_id = p.compound_id
    WHERE ${where}
    ORDER BY ${overdueSql(f.today)} DESC, p.staged_at DESC, p.id DESC
    LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db.kysely);
  const total = r.rows[0]?.total ?? 0;
  return { items: r.rows.map(({ total: _t, ...row }) => row), total };
}

/** Counts by stage (and overdue) under the filter's area, for the list's header. */
export async function proposalCounts(
  db: Db,
  rule: PlaceRule,
  areaId: number | null,
  publishedOnly: boolean,
  today: string,
) {
  const r = await sql<{ stage: ProposalStage; n: number; overdue: number }>`
    SELECT p.stage, count(*)::int AS n, count(*) FILTER (WHERE ${overdueSql(today)})::int AS overdue
    FROM proposals p
    WHERE ${publishedOnly ? sql`p.stage = 'published'` : placeCondition(rule, sql.ref('p.area_path'), sql.ref('p.compound_id'))}
      AND ${areaId === null ? sql`true` : sql`p.area_path @> ARRAY[${areaId}::int]`}
    GROUP BY p.stage`.execute(db.kysely);
  return r.rows;
}

export async function findProposal(
  db: Executor,
  id: number,
  today: string,
): Promise<ProposalRow | null> {
  const r = await sql<ProposalRow>`
    SELECT ${proposalColumns(today)}
    FROM proposals p JOIN areas a ON a.id = p.compound_id
    JOIN compounds c ON c.area_id = p.compound_id
    WHERE p.id = ${id}`.execute(db);
  return r.rows[0] ?? null;
}

export interface StepRow {
  id: number;
  step: ProposalStep;
  at: string;
  actor: string;
  fields: Record<string, unknown>;
}

export async function stepsOf(db: Executor, proposalId: number): Promise<StepRow[]> {
  const r = await sql<StepRow>`
    SELECT s.id::int AS id, s.step, ${iso(ref('s.at'))} AS at, s.actor, s.fields
    FROM proposal_steps s WHERE s.proposal_id = ${proposalId}
    ORDER BY s.at, s.id`.execute(db);
  return r.rows;
}

export interface MeetingRow {
  id: number;
  communityId: number;
  communityName: string;
  heldAt: string;
  place: string;
  attendees: { side: string; name: string; unit?: string }[];
  minutes: string;
  path: number[];
  proposals: { id: number; title: string; compoundName: string; decision: string | null }[];
}

const meetingColumns = sql`m.id, m.community_id AS "communityId", a.name AS "communityName",
  ${iso(ref('m.held_at'))} AS "heldAt", m.place, m.attendees, m.minutes, m.area_path AS path,
  coalesce((SELECT json_agg(json_build_object('id', p.id, 'title', p.title, 'compoundName', pa.name,
      'decision', p.decision) ORDER BY p.id)
    FROM proposals p JOIN areas pa ON pa.id = p.compound_id WHERE p.meeting_id = m.id), '[]'::json) AS proposals`;

export async function findMeeting(db: Executor, id: number): Promise<MeetingRow | null> {
  const r = await sql<MeetingRow>`
    SELECT ${meetingColumns} FROM joint_meetings m JOIN areas a ON a.id = m.community_id
    WHERE m.id = ${id}`.execute(db);
  return r.rows[0] ?? null;
}

/** Meetings of an area, newest first. A company sees those that decided its compounds. */
export async function listMeetings(
  db: Db,
  rule: PlaceRule,
  areaId: number | null,
  limit: number,
  offset: number,
) {
  const scoped =
    rule.kind === 'company'
      ? sql`EXISTS (SELECT 1 FROM proposals p WHERE p.meeting_id = m.id
          AND ${placeCondition(rule, sql.ref('p.area_path'), sql.ref('p.compound_id'))})`
      : placeCondition(rule, sql.ref('m.area_path'), null);
  const r = await sql<MeetingRow & { total: number }>`
    SELECT ${meetingColumns}, count(*) OVER ()::int AS total
    FROM joint_meetings m JOIN areas a ON a.id = m.community_id
    WHERE ${scoped} AND ${areaId === null ? sql`true` : sql`m.area_path @> ARRAY[${areaId}::int]`}
    ORDER BY m.held_at DESC, m.id DESC LIMIT ${limit} OFFSET ${offset}`.execute(db.kysely);
  const total = r.rows[0]?.total ?? 0;
  return { items: r.rows.map(({ total: _t, ...row }) => row), total };
}

export interface NewProposal {
  compoundId: number;
  path: number[];
  topic: string;
  category: string;
  title: string;
  body: string;
  source: 'owner' | 'resident' | 'evidence';
  proposerName: string | null;
  proposerPhone: string | null;
  evidence: unknown;
  at: Date;
  accountId: number | null;
}

export async function insertProposal(tx: Executor, p: NewProposal): Promise<number> {
  const r = await sql<{ id: number }>`
    INSERT INTO proposals (compound_id, area_path, topic, category, title, body, source,
      proposer_name, proposer_phone, evidence, stage, submitted_at, staged_at, account_id)
    VALUES (${p.compoundId}, ${p.path}::int[], ${p.topic}, ${p.category}, ${p.title}, ${p.body},
      ${p.source}, ${p.proposerName}, ${p.proposerPhone}, ${jsonb(p.evidence)}, 'submitted',
      ${p.at}, ${p.at}, ${p.accountId})
    RETURNING id`.execute(tx);
  return r.rows[0]!.id;
}

export async function insertStep(
  tx: Executor,
  s: {
    proposalId: number;
    step: ProposalStep;
    at: Date;
    accountId: number | null;
    actor: string;
    fields: unknown;
  },
) {
  await sql`
    INSERT INTO proposal_steps (proposal_id, step, at, account_id, actor, fields)
    VALUES (${s.proposalId}, ${s.step}, ${s.at}, ${s.accountId}, ${s.actor}, ${jsonb(s.fields ?? {})})`.execute(
    tx,
  );
}

/**
 * Moves a proposal from `from` to `to` with the columns the step sets; false when another
 * request moved it first (the caller answers 409).
 */
export async function moveProposal(
  tx: Executor,
  id: number,
  from: ProposalStage,
  to: ProposalStage,
  at: Date,
  set: {
    body?: string;
    meetingId?: number;
    decision?: string;
    actionOwner?: string;
    dueOn?: string;
    result?: string;
    publishedOn?: string;
  } = {},
) {
  const r = await sql`
    UPDATE proposals SET stage = ${to}, staged_at = ${at},
      body = coalesce(${set.body ?? null}, body),
      meeting_id = coalesce(${set.meetingId ?? null}::int, meeting_id),
      decision = coalesce(${set.decision ?? null}, decision),
      action_owner = coalesce(${set.actionOwner ?? null}, action_owner),
      due_on = coalesce(${set.dueOn ?? null}::date, due_on),
      result = coalesce(${set.result ?? null}, result),
      published_on = coalesce(${set.publishedOn ?? null}::date, published_on)
    WHERE id = ${id} AND stage = ${from}`.execute(tx);
  return Number(r.numAffectedRows ?? 0) > 0;
}

export async function insertMeeting(
  tx: Executor,
  m: {
    communityId: number;
    path: number[];
    heldAt: Date;
    place: string;
    attendees: unknown;
    minutes: string;
    accountId: number | null;
  },
): Promise<number> {
  const r = await sql<{ id: number }>`
    INSERT INTO joint_meetings (community_id, area_path, held_at, place, attendees, minutes, account_id)
    VALUES (${m.communityId}, ${m.path}::int[], ${m.heldAt}, ${m.place}, ${jsonb(m.attendees)},
      ${m.minutes}, ${m.accountId})
    RETURNING id`.execute(tx);
  return r.rows[0]!.id;
}

/** The tickets behind a proposal's evidence that this reader may open (the ticket read rule). */
export async function evidenceTickets(db: Db, ids: readonly number[], rule: ReadRule) {
  if (ids.length === 0) return [];
  const r = await sql<{
    id: number;
    code: string;
    title: string;
    status: string;
    receivedAt: string;
  }>`
    SELECT t.id, t.code, t.title, t.status, ${iso(ref('t.received_at'))} AS "receivedAt"
    FROM tickets t
    WHERE t.id = ANY(${ids as number[]}::int[]) AND ${scopeCondition(rule, 'tickets', 't')}
    ORDER BY t.received_at DESC`.execute(db.kysely);
  return r.rows;
}

/**
 * Ticket clusters: compounds with at least `min` tickets of one category received in the
 * `days` before `now`, with whether an open proposal on that category exists already.
 */
export async function ticketClusters(
  db: Db,
  rule: PlaceRule,
  areaId: number | null,
  o: { days: number; min: number; now: Date; category?: string; limit: number },
) {
  const r = await sql<{
    compoundId: number;
    compoundName: string;
    category: string;
    count: number;
    firstAt: string;
    lastAt: string;
    openProposalId: number | null;
  }>`
    SELECT t.compound_id AS "compoundId", a.name AS "compoundName", t.category,
      count(*)::int AS count, ${iso(sql`min(t.received_at)`)} AS "firstAt",
      ${iso(sql`max(t.received_at)`)} AS "lastAt",
      (SELECT p.id FROM proposals p WHERE p.compound_id = t.compound_id AND p.category = t.category
        AND p.stage IN ('submitted', 'returned', 'accepted', 'decided') ORDER BY p.id DESC LIMIT 1)
        AS "openProposalId"
    FROM tickets t
    JOIN areas a ON a.id = t.compound_id
    JOIN compounds c ON c.area_id = t.compound_id
    WHERE t.received_at >= ${o.now}::timestamptz - make_interval(days => ${o.days})
      AND t.received_at < ${o.now}
      AND t.status <> 'rejected_duplicate'
      AND ${placeCondition(rule, sql.ref('a.path'), sql.ref('t.compound_id'))}
      AND ${areaId === null ? sql`true` : sql`a.path @> ARRAY[${areaId}::int]`}
      AND ${o.category === undefined ? sql`true` : sql`t.category = ${o.category}`}
    GROUP BY t.compound_id, a.name, t.category
    HAVING count(*) >= ${o.min}
    ORDER BY count(*) DESC, t.compound_id, t.category
    LIMIT ${o.limit}`.execute(db.kysely);
  return r.rows;
}

/** The tickets of one category in a compound within [from, to): the evidence snapshot. */
export async function clusterTickets(
  db: Executor,
  compoundId: number,
  category: string,
  from: Date,
  to: Date,
) {
  const r = await sql<{ id: number }>`
    SELECT t.id FROM tickets t
    WHERE t.compound_id = ${compoundId} AND t.category = ${category}
      AND t.received_at >= ${from} AND t.received_at < ${to} AND t.status <> 'rejected_duplicate'
    ORDER BY t.received_at, t.id`.execute(db);
  return r.rows.map((x) => x.id);
}

/**
 * The map: proposals per compound (zoomed in) or per subdistrict (zoomed out), counts by stage,
 * overdue, and the newest proposal (what a click opens).
 */
export async function proposalMap(
  db: Db,
  rule: PlaceRule,
  o: { areaId: number | null; publishedOnly: boolean; byCompound: boolean; today: string },
) {
  const group = o.byCompound ? sql`p.compound_id` : sql`p.area_path[2]`;
  const r = await sql<{
    id: number;
    name: string;
    level: string;
    position: [number, number];
    total: number;
    submitted: number;
    returned: number;
    rejected: number;
    accepted: number;
    decided: number;
    published: number;
    overdue: number;
    latestId: number;
    latestTitle: string;
    latestStage: ProposalStage;
  }>`
    WITH g AS (
      SELECT ${group} AS id, count(*)::int AS total,
        count(*) FILTER (WHERE p.stage = 'submitted')::int AS submitted,
        count(*) FILTER (WHERE p.stage = 'returned')::int AS returned,
        count(*) FILTER (WHERE p.stage = 'rejected')::int AS rejected,
        count(*) FILTER (WHERE p.stage = 'accepted')::int AS accepted,
        count(*) FILTER (WHERE p.stage = 'decided')::int AS decided,
        count(*) FILTER (WHERE p.stage = 'published')::int AS published,
        count(*) FILTER (WHERE ${overdueSql(o.today)})::int AS overdue,
        (array_agg(p.id ORDER BY p.staged_at DESC, p.id DESC))[1] AS latest
      FROM proposals p
      WHERE ${o.publishedOnly ? sql`p.stage = 'published'` : placeCondition(rule, sql.ref('p.area_path'), sql.ref('p.compound_id'))}
        AND ${o.areaId === null ? sql`true` : sql`p.area_path @> ARRAY[${o.areaId}::int]`}
      GROUP BY 1
    )
    SELECT g.id, a.name, a.level,
      json_build_array(round(ST_X(a.label_point)::numeric, 6), round(ST_Y(a.label_point)::numeric, 6)) AS position,
      g.total, g.submitted, g.returned, g.rejected, g.accepted, g.decided, g.published, g.overdue,
      g.latest AS "latestId", lp.title AS "latestTitle", lp.stage AS "latestStage"
    FROM g JOIN areas a ON a.id = g.id JOIN proposals lp ON lp.id = g.latest
    ORDER BY g.id`.execute(db.kysely);
  return r.rows;
}

// ── the three lists ─────────────────────────────────────────────────────────────────────────

export interface NeedRow {
  id: number;
  compoundId: number;
  compoundName: string;
  topic: string;
  category: string;
  title: string;
  source: 'proposal' | 'tickets';
  proposalId: number | null;
  evidence: unknown;
  status: 'open' | 'matched' | 'done' | 'closed';
  createdAt: string;
  projects: number;
  path: number[];
  companyId: number | null;
}

const needColumns = sql`n.id, n.compound_id AS "compoundId", a.name AS "compoundName", n.topic,
  n.category, n.title, n.source, n.proposal_id AS "proposalId", n.evidence, n.status,
  ${iso(ref('n.created_at'))} AS "createdAt",
  (SELECT count(*)::int FROM projects j WHERE j.need_id = n.id) AS projects,
  n.area_path AS path, c.property_company_id AS "companyId"`;

export async function listNeeds(
  db: Db,
  rule: PlaceRule,
  f: { areaId: number | null; status?: string; limit: number; offset: number },
) {
  const r = await sql<NeedRow & { total: number }>`
    SELECT ${needColumns}, count(*) OVER ()::int AS total
    FROM needs n JOIN areas a ON a.id = n.compound_id JOIN compounds c ON c.area_id = n.compound_id
    WHERE ${placeCondition(rule, sql.ref('n.area_path'), sql.ref('n.compound_id'))}
      AND ${f.areaId === null ? sql`true` : sql`n.area_path @> ARRAY[${f.areaId}::int]`}
      AND ${f.status === undefined ? sql`true` : sql`n.status = ${f.status}`}
    ORDER BY n.status = 'open' DESC, n.created_at DESC, n.id DESC
    LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db.kysely);
  const total = r.rows[0]?.total ?? 0;
  return { items: r.rows.map(({ total: _t, ...row }) => row), total };
}

export async function findNeed(db: Executor, id: number): Promise<NeedRow | null> {
  const r = await sql<NeedRow>`
    SELECT ${needColumns}
    FROM needs n JOIN areas a ON a.id = n.compound_id JOIN compounds c ON c.area_id = n.compound_id
    WHERE n.id = ${id}`.execute(db);
  return r.rows[0] ?? null;
}

export async function insertNeed(
  tx: Executor,
  n: {
    compoundId: number;
    path: number[];
    topic: string;
    category: string;
    title: string;
    source: 'proposal' | 'tickets';
    proposalId: number | null;
    evidence: unknown;
    at: Date;
    accountId: number | null;
  },
): Promise<number | null> {
  const r = await sql<{ id: number }>`
    INSERT INTO needs (compound_id, area_path, topic, category, title, source, proposal_id,
      evidence, created_at, account_id)
    VALUES (${n.compoundId}, ${n.path}::int[], ${n.topic}, ${n.category}, ${n.title}, ${n.source},
      ${n.proposalId}, ${jsonb(n.evidence)}, ${n.at}, ${n.accountId})
    ON CONFLICT (proposal_id) WHERE proposal_id IS NOT NULL DO NOTHING
    RETURNING id`.execute(tx);
  return r.rows[0]?.id ?? null;
}

export async function setNeedStatus(tx: Executor, id: number, status: NeedRow['status']) {
  await sql`UPDATE needs SET status = ${status} WHERE id = ${id}`.execute(tx);
}

export interface ResourceRow {
  id: number;
  areaId: number;
  areaName: string;
  areaLevel: string;
  kind: 'space' | 'funds' | 'volunteers' | 'unit';
  name: string;
  provider: string;
  capacity: number;
  unit: string;
  used: number;
  left: number;
  matches: number;
  createdAt: string;
  path: number[];
}

/** Uses by projects that are not cancelled count against a resource's capacity. */
const resourceColumns = sql`r.id, r.area_id AS "areaId", a.name AS "areaName", a.level AS "areaLevel",
  r.kind, r.name, r.provider, r.capacity::float8 AS capacity, r.unit,
  coalesce(u.used, 0)::float8 AS used, (r.capacity - coalesce(u.used, 0))::float8 AS left,
  coalesce(u.n, 0)::int AS matches, ${iso(ref('r.created_at'))} AS "createdAt", r.area_path AS path`;
const resourceUse = sql`LEFT JOIN LATERAL (
    SELECT sum(pr.amount) AS used, count(*) AS n FROM project_resources pr
    JOIN projects j ON j.id = pr.project_id
    WHERE pr.resource_id = r.id AND j.status <> 'cancelled') u ON true`;

/**
 * Resources of an area: those serving a place inside it or above it (a community's funds serve
 * its compounds). A company reads those serving its compounds' communities or compounds.
 */
export async function listResources(
  db: Db,
  rule: PlaceRule,
  f: {
    areaId: number | null;
    areaPath: number[] | null;
    kind?: string;
    limit: number;
    offset: number;
  },
) {
  const inArea =
    f.areaId === null
      ? sql`true`
      : sql`(r.area_path @> ARRAY[${f.areaId}::int] OR r.area_id = ANY(${f.areaPath ?? []}::int[]))`;
  const scoped =
    rule.kind === 'company'
      ? sql`EXISTS (SELECT 1 FROM compounds c JOIN areas ca ON ca.id = c.area_id
          WHERE c.property_company_id = ${rule.id} AND ca.path @> ARRAY[r.area_id])`
      : rule.kind === 'subtree'
        ? sql`(r.area_path @> ARRAY[${rule.areaId}::int]
            OR r.area_id IN (SELECT unnest(path) FROM areas WHERE id = ${rule.areaId}))`
        : placeCondition(rule, sql.ref('r.area_path'), null);
  const r = await sql<ResourceRow & { total: number }>`
    SELECT ${resourceColumns}, count(*) OVER ()::int AS total
    FROM resources r JOIN areas a ON a.id = r.area_id ${resourceUse}
    WHERE ${scoped} AND ${inArea}
      AND ${f.kind === undefined ? sql`true` : sql`r.kind = ${f.kind}`}
    ORDER BY r.created_at DESC, r.id DESC
    LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db.kysely);
  const total = r.rows[0]?.total ?? 0;
  return { items: r.rows.map(({ total: _t, ...row }) => row), total };
}

/** One resource with its use; `lock` takes the row lock a match needs against a race. */
export async function findResource(
  db: Executor,
  id: number,
  lock = false,
): Promise<ResourceRow | null> {
  if (lock) await sql`SELECT id FROM resources WHERE id = ${id} FOR UPDATE`.execute(db);
  const r = await sql<ResourceRow>`
    SELECT ${resourceColumns} FROM resources r JOIN areas a ON a.id = r.area_id ${resourceUse}
    WHERE r.id = ${id}`.execute(db);
  return r.rows[0] ?? null;
}

export async function insertResource(
  tx: Executor,
  v: {
    areaId: number;
    path: number[];
    kind: string;
    name: string;
    provider: string;
    capacity: number;
    unit: string;
    at: Date;
    accountId: number | null;
  },
): Promise<number> {
  const r = await sql<{ id: number }>`
    INSERT INTO resources (area_id, area_path, kind, name, provider, capacity, unit, created_at, account_id)
    VALUES (${v.areaId}, ${v.path}::int[], ${v.kind}, ${v.name}, ${v.provider}, ${v.capacity},
      ${v.unit}, ${v.at}, ${v.accountId})
    RETURNING id`.execute(tx);
  return r.rows[0]!.id;
}

export interface ProjectRow {
  id: number;
  needId: number;
  needTitle: string;
  compoundId: number;
  compoundName: string;
  category: string;
  title: string;
  owner: string;
  budget: number;
  status: 'planned' | 'in_progress' | 'done' | 'cancelled';
  startedOn: string;
  dueOn: string;
  completedOn: string | null;
  overdue: boolean;
  resources: {
    id: number;
    resourceId: number;
    name: string;
    kind: string;
    amount: number;
    unit: string;
    matchedAt: string;
    matchedBy: string;
  }[];
  milestones: { id: number; title: string; dueOn: string; doneOn: string | null }[];
  path: number[];
  companyId: number | null;
}

const projectColumns = (today: string) => sql`j.id, j.need_id AS "needId", n.title AS "needTitle",
  j.compound_id AS "compoundId", a.name AS "compoundName", j.category, j.title, j.owner,
  j.budget::float8 AS budget, j.status, ${day(ref('j.started_on'))} AS "startedOn",
  ${day(ref('j.due_on'))} AS "dueOn", ${day(ref('j.completed_on'))} AS "completedOn",
  (j.status IN ('planned', 'in_progress') AND j.due_on < ${today}::date) AS overdue,
  coalesce((SELECT json_agg(json_build_object('id', pr.id, 'resourceId', r.id, 'name', r.name,
      'kind', r.kind, 'amount', pr.amount::float8, 'unit', r.unit,
      'matchedAt', ${iso(ref('pr.matched_at'))}, 'matchedBy', pr.matched_by) ORDER BY pr.id)
    FROM project_resources pr JOIN resources r ON r.id = pr.resource_id
    WHERE pr.project_id = j.id), '[]'::json) AS resources,
  coalesce((SELECT json_agg(json_build_object('id', m.id, 'title', m.title,
      'dueOn', ${day(ref('m.due_on'))}, 'doneOn', ${day(ref('m.done_on'))}) ORDER BY m.due_on, m.id)
    FROM project_milestones m WHERE m.project_id = j.id), '[]'::json) AS milestones,
  j.area_path AS path, c.property_company_id AS "companyId"`;

export async function listProjects(
  db: Db,
  rule: PlaceRule,
  f: { areaId: number | null; status?: string; limit: number; offset: number; today: string },
) {
  const r = await sql<ProjectRow & { total: number }>`
    SELECT ${projectColumns(f.today)}, count(*) OVER ()::int AS total
    FROM projects j JOIN needs n ON n.id = j.need_id JOIN areas a ON a.id = j.compound_id
    JOIN compounds c ON c.area_id = j.compound_id
    WHERE ${placeCondition(rule, sql.ref('j.area_path'), sql.ref('j.compound_id'))}
      AND ${f.areaId === null ? sql`true` : sql`j.area_path @> ARRAY[${f.areaId}::int]`}
      AND ${f.status === undefined ? sql`true` : sql`j.status = ${f.status}`}
    ORDER BY (j.status IN ('planned', 'in_progress') AND j.due_on < ${f.today}::date) DESC,
      j.status = 'done', j.due_on, j.id DESC
    LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db.kysely);
  const total = r.rows[0]?.total ?? 0;
  return { items: r.rows.map(({ total: _t, ...row }) => row), total };
}

export async function findProject(
  db: Executor,
  id: number,
  today: string,
): Promise<ProjectRow | null> {
  const r = await sql<ProjectRow>`
    SELECT ${projectColumns(today)}
    FROM projects j JOIN needs n ON n.id = j.need_id JOIN areas a ON a.id = j.compound_id
    JOIN compounds c ON c.area_id = j.compound_id
    WHERE j.id = ${id}`.execute(db);
  return r.rows[0] ?? null;
}

export async function insertProject(
  tx: Executor,
  v: {
    needId: number;
    compoundId: number;
    path: number[];
    category: string;
    title: string;
    owner: string;
    budget: number;
    startedOn: string;
    dueOn: string;
    at: Date;
    accountId: number | null;
  },
): Promise<number> {
  const r = await sql<{ id: number }>`
    INSERT INTO projects (need_id, compound_id, area_path, category, title, owner, budget,
      started_on, due_on, created_at, account_id)
    VALUES (${v.needId}, ${v.compoundId}, ${v.path}::int[], ${v.category}, ${v.title}, ${v.owner},
      ${v.budget}, ${v.startedOn}::date, ${v.dueOn}::date, ${v.at}, ${v.accountId})
    RETURNING id`.execute(tx);
  return r.rows[0]!.id;
}

export async function insertMilestones(
  tx: Executor,
  projectId: number,
  ms: readonly { title: string; dueOn: string }[],
) {
  if (ms.length === 0) return;
  await sql`
    INSERT INTO project_milestones (project_id, title, due_on)
    SELECT ${projectId}, t, d::date FROM unnest(${ms.map((m) => m.title)}::text[], ${ms.map((m) => m.dueOn)}::text[]) AS x(t, d)`.execute(
    tx,
  );
}

export async function completeMilestone(
  tx: Executor,
  projectId: number,
  milestoneId: number,
  on: string,
) {
  const r = await sql`
    UPDATE project_milestones SET done_on = ${on}::date
    WHERE id = ${milestoneId} AND project_id = ${projectId} AND done_on IS NULL`.execute(tx);
  return Number(r.numAffectedRows ?? 0) > 0;
}

export async function insertMatch(
  tx: Executor,
  v: {
    projectId: number;
    resourceId: number;
    amount: number;
    at: Date;
    by: string;
    accountId: number | null;
  },
): Promise<number | null> {
  const r = await sql<{ id: number }>`
    INSERT INTO project_resources (project_id, resource_id, amount, matched_at, matched_by, account_id)
    VALUES (${v.projectId}, ${v.resourceId}, ${v.amount}, ${v.at}, ${v.by}, ${v.accountId})
    ON CONFLICT (project_id, resource_id) DO NOTHING
    RETURNING id`.execute(tx);
  return r.rows[0]?.id ?? null;
}

export async function setProjectStatus(
  tx: Executor,
  id: number,
  from: ProjectRow['status'],
  to: ProjectRow['status'],
  completedOn: string | null,
) {
  const r = await sql`
    UPDATE projects SET status = ${to}, completed_on = ${completedOn}::date
    WHERE id = ${id} AND status = ${from}`.execute(tx);
  return Number(r.numAffectedRows ?? 0) > 0;
}

/** Tickets of a category in a compound in [from, to) (Beijing days), for the before/after effect. */
export async function ticketCount(
  db: Executor,
  compoundId: number,
  category: string,
  from: string,
  to: string,
): Promise<number> {
  const r = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM tickets t
    WHERE t.compound_id = ${compoundId} AND t.category = ${category}
      AND t.received_at >= ${dayStart(from)} AND t.received_at < ${dayStart(to)}
      AND t.status <> 'rejected_duplicate'`.execute(db);
  return r.rows[0]!.n;
}
