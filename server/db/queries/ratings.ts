import { sql, type RawBuilder } from 'kysely';
import {
  BASE_SCORE,
  RATING_INDICATORS,
  RED_BELOW,
  YELLOW_BELOW,
  type RatingIndicator,
} from '../../../geo/rating-method.ts';
import type { AreaLevel } from '../../../geo/vocabulary.ts';
import type { Db } from '../client.ts';
import type { PlaceRule, ReadRule } from '../../policy.ts';
import type { Executor } from './audit.ts';
import { placeCondition, scopeCondition } from './scope.ts';
import { lateAsOf } from './whistles.ts';

/** Months in Beijing time: a period `YYYY-MM-01` starts at its first day's 00:00 (UTC+8). */
const periodStart = (p: RawBuilder<unknown>) =>
  sql`((${p})::date::timestamp AT TIME ZONE 'UTC') - interval '8 hours'`;
const periodEnd = (p: RawBuilder<unknown>) =>
  sql`(((${p})::date + interval '1 month')::timestamp AT TIME ZONE 'UTC') - interval '8 hours'`;

/** The month (`YYYY-MM-01`) holding a moment, in Beijing time. */
export const monthOf = (at: RawBuilder<unknown>) =>
  sql<string>`date_trunc('month', ((${at}) AT TIME ZONE 'UTC') + interval '8 hours')::date`;

/**
 * One indicator's deduction in SQL, from the method's numbers as bound parameters (the value
 * expression is the stored, rounded value, so the explanation's arithmetic adds up exactly).
 */
function deductionSql(i: RatingIndicator, value: RawBuilder<unknown>) {
  const beyond =
    i.direction === 'above'
      ? sql`(${value} - ${i.threshold}::numeric)`
      : sql`(${i.threshold}::numeric - ${value})`;
  return sql`coalesce(${i.weight}::numeric * least(greatest(${beyond}, 0), ${i.cap}::numeric), 0)`;
}

/**
 * Computes the 红黄蓝 colours of every compound for the given months and writes them (replacing
 * what was there). A month's window ends at its last second or at `asOf`, whichever is earlier,
 * so the current month is rated on what happened so far. Returns the counts by colour per month.
 *
 * The indicators (geo/rating-method.ts) are measured set-based over the month's tickets, the
 * hazards open at its end and the whistles' report-ins due in it; every weight, threshold and
 * cutoff comes from the method as a bound value.
 */
export async function computeRatings(
  ex: Executor,
  o: { periods: string[]; asOf: Date },
): Promise<{ period: string; red: number; yellow: number; blue: number }[]> {
  if (o.periods.length === 0) return [];
  const stored = (i: RatingIndicator) => sql`${sql.ref(`v.${i.key}`)}`;
  const deducted = sql.join(
    RATING_INDICATORS.map((i) => deductionSql(i, stored(i))),
    sql` + `,
  );
  const r = await sql<{ period: string; red: number; yellow: number; blue: number }>`
    WITH periods AS (
      SELECT p.period, ${periodStart(sql`p.period`)} AS start_ts,
        least(${periodEnd(sql`p.period`)}, ${o.asOf}::timestamptz) AS end_ts
      FROM unnest(${o.periods}::date[]) AS p(period)
    ), tickets_by_month AS (
      SELECT t.compound_id, p.period, count(*) AS n,
        count(*) FILTER (WHERE t.due_at < p.end_ts
                           AND (t.resolved_at IS NULL OR t.resolved_at > t.due_at)) AS overdue,
        avg(t.satisfaction) AS satisfaction
      FROM periods p JOIN tickets t ON t.received_at >= p.start_ts AND t.received_at < p.end_ts
      WHERE t.compound_id IS NOT NULL AND t.status <> 'rejected_duplicate'
      GROUP BY 1, 2
    ), hazards_by_month AS (
      SELECT h.compound_id, p.period, count(*) AS open_hazards,
        sum(CASE h.severity WHEN 'critical' THEN 3 WHEN 'high' THEN 2 ELSE 1 END) AS hazard_weight
      FROM hazards h JOIN periods p
        ON h.reported_at < p.end_ts AND (h.rectified_at IS NULL OR h.rectified_at >= p.end_ts)
      WHERE h.compound_id IS NOT NULL
      GROUP BY 1, 2
    ), late_by_month AS (
      SELECT w.compound_id, p.period, count(*) AS late
      FROM periods p
      JOIN whistles w ON w.report_due_at >= p.start_ts AND w.report_due_at < p.end_ts
      JOIN whistle_report_ins ri ON ri.whistle_id = w.id
      WHERE ${lateAsOf(sql.ref('p.end_ts'))}
      GROUP BY 1, 2
    ), measured AS (
      SELECT c.area_id, p.period, p.end_ts,
        coalesce(t.n, 0) AS tickets,
        coalesce(t.n, 0) * 100.0 / greatest(c.households, 1) AS per100,
        coalesce(t.overdue, 0)::numeric / greatest(coalesce(t.n, 0), 1) AS overdue_share,
        t.satisfaction AS satisfaction,
        coalesce(h.open_hazards, 0) AS open_hazards,
        coalesce(h.hazard_weight, 0) AS hazard_weight,
        coalesce(l.late, 0) AS late,
        (c.property_company_id IS NULL)::int AS no_company,
        (NOT c.has_owners_committee)::int AS no_committee,
        c.provincial_demonstration::int AS demonstration
      FROM compounds c CROSS JOIN periods p
      LEFT JOIN tickets_by_month t ON t.compound_id = c.area_id AND t.period = p.period
      LEFT JOIN hazards_by_month h ON h.compound_id = c.area_id AND h.period = p.period
      LEFT JOIN late_by_month l ON l.compound_id = c.area_id AND l.period = p.period
    ), v AS (
      -- Ticket load relative to the month's city average, so the colours mean the same at every
      -- dataset scale (and in a quiet month as in a busy one). Values rounded as stored.
      SELECT m.area_id, m.period, m.tickets, m.open_hazards,
        extract(epoch FROM m.end_ts)::int8 AS window_end,
        round(m.per100, 2) AS "ticketsPer100Households",
        round(coalesce(m.per100 / nullif(avg(m.per100) OVER (PARTITION BY m.period), 0), 0), 2) AS "loadVsCity",
        round(m.overdue_share, 3) AS "overdueShare",
        round(m.satisfaction, 2) AS "satisfaction",
        m.hazard_weight::numeric AS "hazardWeight",
        m.late::numeric AS "lateReportIns",
        m.no_company::numeric AS "noPropertyCompany",
        m.no_committee::numeric AS "noOwnersCommittee",
        m.demonstration::numeric AS "provincialDemonstration"
      FROM measured m
    ), scored AS (
      SELECT v.*, round(greatest(0, least(${BASE_SCORE}::numeric,
        ${BASE_SCORE}::numeric - (${deducted}))), 1) AS score
      FROM v
    ), written AS (
      INSERT INTO compound_ratings (compound_id, period, color, score, indicators)
      SELECT area_id, period,
        CASE WHEN score < ${RED_BELOW} THEN 'red' WHEN score < ${YELLOW_BELOW} THEN 'yellow' ELSE 'blue' END,
        score,
        jsonb_build_object(
          'tickets', tickets,
          'ticketsPer100Households', "ticketsPer100Households",
          'loadVsCity', "loadVsCity",
          'overdueShare', "overdueShare",
          'satisfaction', "satisfaction",
          'openHazards', open_hazards,
          'hazardWeight', "hazardWeight",
          'lateReportIns', "lateReportIns",
          'noPropertyCompany', "noPropertyCompany",
          'noOwnersCommittee', "noOwnersCommittee",
          'provincialDemonstration', "provincialDemonstration",
          'windowEnd', window_end)
      FROM scored
      ON CONFLICT (compound_id, period) DO UPDATE
        SET color = excluded.color, score = excluded.score, indicators = excluded.indicators
      RETURNING period, color
    )
    SELECT to_char(period, 'YYYY-MM-DD') AS period,
      count(*) FILTER (WHERE color = 'red')::int AS red,
      count(*) FILTER (WHERE color = 'yellow')::int AS yellow,
      count(*) FILTER (WHERE color = 'blue')::int AS blue
    FROM written GROUP BY period ORDER BY period`.execute(ex);
  return r.rows;
}

/** The months rated, newest first (`YYYY-MM-DD`). */
export async function ratedPeriods(ex: Executor | Db['kysely']): Promise<string[]> {
  const r = await sql<{ period: string }>`
    SELECT DISTINCT to_char(period, 'YYYY-MM-DD') AS period FROM compound_ratings
    ORDER BY 1 DESC`.execute(ex);
  return r.rows.map((x) => x.period);
}

export interface CompoundPlace {
  id: number;
  name: string;
  path: number[];
  companyId: number | null;
  companyName: string | null;
  households: number;
}

/** A compound with its path and company, or null when it is no compound. */
export async function compoundPlace(db: Db, id: number): Promise<CompoundPlace | null> {
  const r = await sql<CompoundPlace>`
    SELECT a.id, a.name, a.path, c.property_company_id AS "companyId", pc.name AS "companyName",
      c.households
    FROM areas a JOIN compounds c ON c.area_id = a.id
    LEFT JOIN property_companies pc ON pc.id = c.property_company_id
    WHERE a.id = ${id}`.execute(db.kysely);
  return r.rows[0] ?? null;
}

export interface RatingRow {
  period: string;
  color: 'red' | 'yellow' | 'blue';
  score: number;
  indicators: Record<string, number | null>;
}

/** A compound's colours, newest first (at most `months`). */
export async function compoundRatings(db: Db, compoundId: number, months: number) {
  const r = await sql<RatingRow>`
    SELECT to_char(period, 'YYYY-MM-DD') AS period, color, round(score::numeric, 1)::float8 AS score, indicators
    FROM compound_ratings WHERE compound_id = ${compoundId}
    ORDER BY period DESC LIMIT ${months}`.execute(db.kysely);
  return r.rows;
}

/**
 * A compound's month as its colour was computed: its first moment and the end of the window
 * measured (`windowEnd` in the indicators; the month's end, or "now" then for a current month).
 */
const monthWindow = (period: string, compoundId: number) => sql`
  SELECT ${periodStart(sql`${period}`)} AS start_ts,
    coalesce((SELECT to_timestamp((cr.indicators->>'windowEnd')::float8) FROM compound_ratings cr
      WHERE cr.compound_id = ${compoundId} AND cr.period = ${period}::date),
      least(${periodEnd(sql`${period}`)}, now())) AS end_ts`;

// ---------------------------------------------------------------------------------------------
// Evidence: the records behind an indicator, each list scoped by its noun's read rule

const EVIDENCE_LIMIT = 500;

export interface EvidenceQuery {
  compoundId: number;
  period: string;
  rule: ReadRule;
  limit?: number;
}

/** The month's tickets of a compound (all, overdue ones, or those with a satisfaction score). */
export async function evidenceTickets(
  db: Db,
  q: EvidenceQuery & { which: 'tickets' | 'overdue' | 'satisfaction' },
) {
  const filter =
    q.which === 'overdue'
      ? sql`t.due_at < m.end_ts AND (t.resolved_at IS NULL OR t.resolved_at > t.due_at)`
      : q.which === 'satisfaction'
        ? sql`t.satisfaction IS NOT NULL`
        : sql`true`;
  const r = await sql<{
    total: number;
    items: {
      id: number;
      code: string;
      title: string;
      category: string;
      status: string;
      receivedAt: string;
      dueAt: string;
      resolvedAt: string | null;
      satisfaction: number | null;
      overdue: boolean;
    }[];
  }>`
    WITH m AS (${monthWindow(q.period, q.compoundId)}),
    rows AS (
      SELECT t.id, t.code, t.title, t.category, t.status, t.received_at, t.due_at, t.resolved_at,
        t.satisfaction,
        (t.due_at < m.end_ts AND (t.resolved_at IS NULL OR t.resolved_at > t.due_at)) AS overdue,
        ${scopeCondition(q.rule, 'tickets', 't')} AS readable
      FROM tickets t, m
      WHERE t.compound_id = ${q.compoundId} AND t.status <> 'rejected_duplicate'
        AND t.received_at >= m.start_ts AND t.received_at < m.end_ts AND ${filter}
    )
    SELECT count(*)::int AS total,
      coalesce((SELECT json_agg(json_build_object('id', x.id, 'code', x.code, 'title', x.title,
          'category', x.category, 'status', x.status, 'receivedAt', x.received_at,
          'dueAt', x.due_at, 'resolvedAt', x.resolved_at, 'satisfaction', x.satisfaction,
          'overdue', x.overdue) ORDER BY x.received_at DESC)
        FROM (SELECT * FROM rows WHERE readable ORDER BY received_at DESC
              LIMIT ${q.limit ?? EVIDENCE_LIMIT}) x), '[]') AS items
    FROM rows`.execute(db.kysely);
  return r.rows[0]!;
}

/** Hazards of a compound open at the month's end (severity-weighted in the indicator). */
export async function evidenceHazards(db: Db, q: EvidenceQuery) {
  const r = await sql<{
    total: number;
    items: {
      id: number;
      code: string;
      type: string;
      severity: string;
      status: string;
      reportedAt: string;
      dueAt: string | null;
      rectifiedAt: string | null;
      weight: number;
    }[];
  }>`
    WITH m AS (${monthWindow(q.period, q.compoundId)}),
    rows AS (
      SELECT h.*, CASE h.severity WHEN 'critical' THEN 3 WHEN 'high' THEN 2 ELSE 1 END AS weight,
        ${scopeCondition(q.rule, 'hazards', 'h')} AS readable
      FROM hazards h, m
      WHERE h.compound_id = ${q.compoundId} AND h.reported_at < m.end_ts
        AND (h.rectified_at IS NULL OR h.rectified_at >= m.end_ts)
    )
    SELECT count(*)::int AS total,
      coalesce((SELECT json_agg(json_build_object('id', x.id, 'code', x.code, 'type', x.type,
          'severity', x.severity, 'status', x.status, 'reportedAt', x.reported_at,
          'dueAt', x.due_at, 'rectifiedAt', x.rectified_at, 'weight', x.weight)
          ORDER BY x.reported_at DESC)
        FROM (SELECT * FROM rows WHERE readable ORDER BY reported_at DESC
              LIMIT ${q.limit ?? EVIDENCE_LIMIT}) x), '[]') AS items
    FROM rows`.execute(db.kysely);
  return r.rows[0]!;
}

/** Report-ins due in the month for whistles in the compound that came late or not at all. */
export async function evidenceLateReportIns(db: Db, q: EvidenceQuery) {
  const r = await sql<{
    total: number;
    items: {
      whistleId: number;
      whistleCode: string;
      ticketId: number | null;
      ticketCode: string | null;
      responder: string;
      reportDueAt: string;
      reportedAt: string | null;
    }[];
  }>`
    WITH m AS (${monthWindow(q.period, q.compoundId)}),
    rows AS (
      SELECT w.id AS whistle_id, w.code AS whistle_code, w.ticket_id, w.report_due_at,
        ri.reported_at, coalesce(pc.name, d.name) AS responder,
        (SELECT code FROM tickets WHERE id = w.ticket_id) AS ticket_code,
        ${scopeCondition(q.rule, 'whistles', 'w')} AS readable
      FROM whistles w CROSS JOIN m
      JOIN whistle_report_ins ri ON ri.whistle_id = w.id
      LEFT JOIN property_companies pc ON pc.id = ri.property_company_id
      LEFT JOIN departments d ON d.id = ri.department_id
      WHERE w.compound_id = ${q.compoundId}
        AND w.report_due_at >= m.start_ts AND w.report_due_at < m.end_ts
        AND ${lateAsOf(sql.ref('m.end_ts'))}
    )
    SELECT count(*)::int AS total,
      coalesce((SELECT json_agg(json_build_object('whistleId', x.whistle_id,
          'whistleCode', x.whistle_code, 'ticketId', x.ticket_id, 'ticketCode', x.ticket_code,
          'responder', x.responder, 'reportDueAt', x.report_due_at, 'reportedAt', x.reported_at)
          ORDER BY x.report_due_at DESC)
        FROM (SELECT * FROM rows WHERE readable ORDER BY report_due_at DESC
              LIMIT ${q.limit ?? EVIDENCE_LIMIT}) x), '[]') AS items
    FROM rows`.execute(db.kysely);
  return r.rows[0]!;
}

// ---------------------------------------------------------------------------------------------
// Summaries: an area's children

export interface SummaryChild {
  id: number;
  name: string;
  level: AreaLevel;
  compounds: number;
  red: number;
  yellow: number;
  blue: number;
  redWithPlan: number;
  redWithoutPlan: number;
  overduePlans: number;
  transitions: Record<string, number>;
}

/**
 * Counts per child of an area (or per district for the city, `areaId` null) for the latest rated
 * month, over the compounds `rule` reaches: colours, red compounds with and without an open plan,
 * overdue plans, and the colour changes month to month over the last `months` months.
 */
export async function summaryChildren(
  db: Db,
  o: { areaId: number | null; rule: PlaceRule; months: number; today: string },
): Promise<{ latest: string | null; children: SummaryChild[] }> {
  const periods = await ratedPeriods(db.kysely);
  const latest = periods[0] ?? null;
  if (!latest) return { latest: null, children: [] };
  const since = periods[Math.min(o.months, periods.length - 1)]!;
  const parentDepth =
    o.areaId === null ? sql`0` : sql`(SELECT cardinality(path) FROM areas WHERE id = ${o.areaId})`;
  const r = await sql<SummaryChild>`
    WITH kids AS (
      SELECT k.id, k.name, k.level FROM areas k
      WHERE ${o.areaId === null ? sql`k.level = 'district'` : sql`k.parent_id = ${o.areaId}`}
    ), comp AS (
      SELECT a.id, a.path[${parentDepth} + 1] AS child
      FROM areas a JOIN compounds c ON c.area_id = a.id
      WHERE a.level = 'compound'
        ${o.areaId === null ? sql`` : sql`AND a.path @> ARRAY[${o.areaId}::int]`}
        AND ${placeCondition(o.rule, sql.ref('a.path'), sql.ref('a.id'))}
    ), cur AS (
      SELECT comp.child, cr.compound_id, cr.color FROM comp
      JOIN compound_ratings cr ON cr.compound_id = comp.id AND cr.period = ${latest}::date
    ), plans AS (
      SELECT f.compound_id, f.due_on FROM rating_followups f
      JOIN comp ON comp.id = f.compound_id WHERE f.status = 'open'
    ), moves AS (
      SELECT comp.child, prev.color || '->' || cr.color AS t, count(*)::int AS n
      FROM comp JOIN compound_ratings cr ON cr.compound_id = comp.id
      JOIN compound_ratings prev ON prev.compound_id = cr.compound_id
        AND prev.period = (cr.period - interval '1 month')::date
      WHERE cr.period > ${since}::date AND cr.period <= ${latest}::date AND prev.color <> cr.color
      GROUP BY 1, 2
    ), per_child AS (
      -- One pass over the compounds, grouped, instead of a scan of them per child and figure.
      SELECT comp.child,
        count(*)::int AS compounds,
        count(*) FILTER (WHERE cur.color = 'red')::int AS red,
        count(*) FILTER (WHERE cur.color = 'yellow')::int AS yellow,
        count(*) FILTER (WHERE cur.color = 'blue')::int AS blue,
        count(*) FILTER (WHERE cur.color = 'red' AND p.compound_id IS NOT NULL)::int AS "redWithPlan",
        count(*) FILTER (WHERE cur.color = 'red' AND p.compound_id IS NULL)::int AS "redWithoutPlan",
        count(*) FILTER (WHERE p.due_on < ${o.today}::date)::int AS "overduePlans"
      FROM comp
      LEFT JOIN cur ON cur.compound_id = comp.id
      LEFT JOIN plans p ON p.compound_id = comp.id
      GROUP BY comp.child
    ), move_maps AS (
      SELECT child, json_object_agg(t, n) AS transitions FROM moves GROUP BY child
    )
    SELECT k.id, k.name, k.level, pc.compounds, pc.red, pc.yellow, pc.blue, pc."redWithPlan",
      pc."redWithoutPlan", pc."overduePlans", coalesce(mm.transitions, '{}') AS transitions
    FROM kids k
    JOIN per_child pc ON pc.child = k.id
    LEFT JOIN move_maps mm ON mm.child = k.id
    ORDER BY 5 DESC, k.name`.execute(db.kysely);
  return { latest, children: r.rows };
}

export interface RedListRow {
  compoundId: number;
  name: string;
  path: number[];
  score: number;
  since: string;
  plan: {
    id: number;
    status: 'open' | 'done' | 'cancelled';
    dueOn: string;
    overdue: boolean;
    stepsDone: number;
    steps: number;
    cadreName: string;
  } | null;
}

/** The area's red compounds in the latest month, worst first, with their latest plan. */
export async function redList(
  db: Db,
  o: { areaId: number | null; rule: PlaceRule; period: string; today: string; limit: number },
): Promise<RedListRow[]> {
  const r = await sql<RedListRow>`
    SELECT a.id AS "compoundId", a.name, a.path, round(cr.score::numeric, 1)::float8 AS score,
      to_char(coalesce((SELECT min(x.period) FROM compound_ratings x
        WHERE x.compound_id = a.id AND x.period <= cr.period AND x.color = 'red'
          AND NOT EXISTS (SELECT 1 FROM compound_ratings y WHERE y.compound_id = a.id
            AND y.period > x.period AND y.period <= cr.period AND y.color <> 'red')), cr.period),
        'YYYY-MM-DD') AS since,
      (SELECT json_build_object('id', f.id, 'status', f.status,
          'dueOn', to_char(f.due_on, 'YYYY-MM-DD'),
          'overdue', f.status = 'open' AND f.due_on < ${o.today}::date,
          'stepsDone', (SELECT count(*) FROM rating_followup_steps s
            WHERE s.followup_id = f.id AND s.done_at IS NOT NULL),
          'steps', (SELECT count(*) FROM rating_followup_steps s WHERE s.followup_id = f.id),
          'cadreName', f.cadre_name)
        FROM rating_followups f WHERE f.compound_id = a.id
        ORDER BY (f.status = 'open') DESC, f.opened_at DESC LIMIT 1) AS plan
    FROM compound_ratings cr JOIN areas a ON a.id = cr.compound_id
    WHERE cr.period = ${o.period}::date AND cr.color = 'red'
      ${o.areaId === null ? sql`` : sql`AND a.path @> ARRAY[${o.areaId}::int]`}
      AND ${placeCondition(o.rule, sql.ref('a.path'), sql.ref('a.id'))}
    ORDER BY cr.score, a.name LIMIT ${o.limit}`.execute(db.kysely);
  return r.rows;
}

/** An area's level, name and path (root first, itself last), or null. */
export async function areaRef(db: Db, id: number) {
  const r = await sql<{ id: number; level: AreaLevel; name: string; path: number[] }>`
    SELECT id, level, name, path FROM areas WHERE id = ${id}`.execute(db.kysely);
  return r.rows[0] ?? null;
}

/** How many compounds had each colour in a month (before a recompute, for the audit). */
export async function colourCounts(ex: Executor, period: string) {
  const r = await sql<{ red: number; yellow: number; blue: number }>`
    SELECT count(*) FILTER (WHERE color = 'red')::int AS red,
      count(*) FILTER (WHERE color = 'yellow')::int AS yellow,
      count(*) FILTER (WHERE color = 'blue')::int AS blue
    FROM compound_ratings WHERE period = ${period}::date`.execute(ex);
  return { period, ...r.rows[0]! };
}

/**
 * The red compounds of a month for the map, packed as columns: id, label point (WGS-84) and the
 * state of their follow-up (0 none, 1 open, 2 open and overdue, 3 closed).
 */
export async function redMap(db: Db, o: { rule: PlaceRule; period: string; today: string }) {
  const r = await sql<{
    ids: number[] | null;
    lon: number[] | null;
    lat: number[] | null;
    plan: number[] | null;
  }>`
    SELECT array_agg(a.id ORDER BY a.id) AS ids,
      array_agg(round(ST_X(a.label_point)::numeric, 6)::float8 ORDER BY a.id) AS lon,
      array_agg(round(ST_Y(a.label_point)::numeric, 6)::float8 ORDER BY a.id) AS lat,
      array_agg(coalesce((SELECT CASE WHEN f.status <> 'open' THEN 3
          WHEN f.due_on < ${o.today}::date THEN 2 ELSE 1 END
        FROM rating_followups f WHERE f.compound_id = a.id
        ORDER BY (f.status = 'open') DESC, f.opened_at DESC LIMIT 1), 0) ORDER BY a.id) AS plan
    FROM compound_ratings cr JOIN areas a ON a.id = cr.compound_id
    WHERE cr.period = ${o.period}::date AND cr.color = 'red'
      AND ${placeCondition(o.rule, sql.ref('a.path'), sql.ref('a.id'))}`.execute(db.kysely);
  const x = r.rows[0]!;
  return { ids: x.ids ?? [], lon: x.lon ?? [], lat: x.lat ?? [], plan: x.plan ?? [] };
}
