/**
 * 物业信用评价 in SQL: the monthly computation of every company's credit from its record, the
 * publication of the 红黑榜, and the reads of the credit tab (lists, ranking, a company's page, the
 * evidence behind a factor, the map of managed compounds).
 *
 * The records are counted here, set-based, one query per month; the counts are scored by the one
 * method in geo/credit-method.ts (a few hundred companies cross the boundary, not their records).
 */
import { sql, type RawBuilder } from 'kysely';
import {
  CREDIT_FACTOR,
  CREDIT_FACTORS,
  gradeOf,
  LIST_RULES,
  listsOf,
  scoreFactors,
  scoreOf,
  type CreditFactorKey,
  type FactorSample,
  type ScoredFactor,
} from '../../../geo/credit-method.ts';
import { DUE_DAY } from '../../../geo/ledgers.ts';
import type { ReadRule } from '../../policy.ts';
import type { Executor } from './audit.ts';
import { scopeCondition } from './scope.ts';

/** Which companies a read may show: all, or one (a company's own account). */
export type CompanyFilter = { kind: 'all' } | { kind: 'company'; id: number };

const companyCond = (f: CompanyFilter, col: string): RawBuilder<boolean> =>
  f.kind === 'all' ? sql<boolean>`true` : sql<boolean>`${sql.ref(col)} = ${f.id}`;

/** The start and end (exclusive) of a Beijing month, the end capped at `asOf`. */
const bounds = (period: string, asOf: Date) => sql`
  SELECT (${period}::date::timestamp AT TIME ZONE 'UTC') - interval '8 hours' AS start_ts,
    least(((${period}::date + interval '1 month')::timestamp AT TIME ZONE 'UTC') - interval '8 hours',
          ${asOf.toISOString()}::timestamptz) AS end_ts`;

/**
 * The instant the previous month's ledgers fall due for a credit month: the end of its 15th
 * (geo/ledgers.ts dueAt of the month before).
 */
export const ledgerDue = (period: string) =>
  sql`((${period}::date + ${DUE_DAY}::int)::timestamp AT TIME ZONE 'UTC') - interval '8 hours'`;

interface CountRow {
  company_id: number;
  compounds: number;
  households: number;
  dispatched: number;
  judged: number;
  on_time: number;
  rated: number;
  sat_sum: number;
  reopened: number;
  ri: number;
  ri_late: number;
  ri_missed: number;
  hz_reported: number;
  hz_due: number;
  hz_on_time: number;
  complaints: number;
  ld_due: number;
  ld_on_time: number;
}

/** The records of every company in one month, counted. */
async function countMonth(ex: Executor, period: string, asOf: Date): Promise<CountRow[]> {
  const r = await sql<CountRow>`
    WITH b AS (${bounds(period, asOf)}),
    managed AS (
      SELECT property_company_id AS company_id, count(*)::int AS compounds,
        sum(households)::int AS households
      FROM compounds WHERE property_company_id IS NOT NULL GROUP BY 1
    ), tk AS (
      SELECT t.property_company_id AS company_id, count(*)::int AS dispatched,
        count(*) FILTER (WHERE t.due_at < b.end_ts OR t.resolved_at < b.end_ts)::int AS judged,
        count(*) FILTER (WHERE t.resolved_at <= t.due_at AND t.resolved_at < b.end_ts)::int AS on_time,
        count(t.satisfaction)::int AS rated, coalesce(sum(t.satisfaction), 0)::int AS sat_sum,
        count(*) FILTER (WHERE EXISTS (SELECT 1 FROM ticket_events e
          WHERE e.ticket_id = t.id AND e.status = 'reopened'))::int AS reopened
      FROM tickets t CROSS JOIN b
      WHERE t.property_company_id IS NOT NULL
        AND t.received_at >= b.start_ts AND t.received_at < b.end_ts
        AND t.status NOT IN ('received', 'rejected_duplicate')
      GROUP BY 1
    ), ri AS (
      SELECT r.property_company_id AS company_id, count(*)::int AS n,
        count(*) FILTER (WHERE r.reported_at > w.report_due_at)::int AS late,
        count(*) FILTER (WHERE r.reported_at IS NULL)::int AS missed
      FROM whistle_report_ins r JOIN whistles w ON w.id = r.whistle_id CROSS JOIN b
      WHERE r.property_company_id IS NOT NULL
        AND w.report_due_at >= b.start_ts AND w.report_due_at < b.end_ts
      GROUP BY 1
    ), hz AS (
      SELECT c.property_company_id AS company_id,
        count(*) FILTER (WHERE h.reported_at >= b.start_ts AND h.reported_at < b.end_ts)::int AS reported,
        count(*) FILTER (WHERE h.due_at >= b.start_ts AND h.due_at < b.end_ts)::int AS due,
        count(*) FILTER (WHERE h.due_at >= b.start_ts AND h.due_at < b.end_ts
          AND h.rectified_at <= h.due_at)::int AS on_time
      FROM hazards h JOIN compounds c ON c.area_id = h.compound_id CROSS JOIN b
      WHERE c.property_company_id IS NOT NULL
        AND ((h.reported_at >= b.start_ts AND h.reported_at < b.end_ts)
          OR (h.due_at >= b.start_ts AND h.due_at < b.end_ts))
      GROUP BY 1
    ), cp AS (
      SELECT c.property_company_id AS company_id, count(*)::int AS n
      FROM tickets t JOIN compounds c ON c.area_id = t.compound_id CROSS JOIN b
      WHERE c.property_company_id IS NOT NULL AND t.category = 'property_service'
        AND t.status <> 'rejected_duplicate'
        AND t.received_at >= b.start_ts AND t.received_at < b.end_ts
      GROUP BY 1
    ), ld AS (
      -- 信托制物业: the previous month's ledgers of its compounds, due at the end of the 15th.
      SELECT c.property_company_id AS company_id, count(*)::int AS n,
        count(*) FILTER (WHERE d.first_published_at <= ${ledgerDue(period)}
          AND d.first_published_at < b.end_ts)::int AS on_time
      FROM compounds c CROSS JOIN b
      LEFT JOIN ledger_disclosures d ON d.compound_id = c.area_id
        AND d.period = (${period}::date - interval '1 month')::date
      WHERE c.property_company_id IS NOT NULL AND ${ledgerDue(period)} <= b.end_ts
      GROUP BY 1
    )
    SELECT p.id AS company_id, coalesce(m.compounds, 0) AS compounds,
      coalesce(m.households, 0) AS households,
      coalesce(tk.dispatched, 0) AS dispatched, coalesce(tk.judged, 0) AS judged,
      coalesce(tk.on_time, 0) AS on_time, coalesce(tk.rated, 0) AS rated,
      coalesce(tk.sat_sum, 0) AS sat_sum, coalesce(tk.reopened, 0) AS reopened,
      coalesce(ri.n, 0) AS ri, coalesce(ri.late, 0) AS ri_late, coalesce(ri.missed, 0) AS ri_missed,
      coalesce(hz.reported, 0) AS hz_reported, coalesce(hz.due, 0) AS hz_due,
      coalesce(hz.on_time, 0) AS hz_on_time, coalesce(cp.n, 0) AS complaints,
      coalesce(ld.n, 0) AS ld_due, coalesce(ld.on_time, 0) AS ld_on_time
    FROM property_companies p
    LEFT JOIN managed m ON m.company_id = p.id
    LEFT JOIN tk ON tk.company_id = p.id
    LEFT JOIN ri ON ri.company_id = p.id
    LEFT JOIN hz ON hz.company_id = p.id
    LEFT JOIN cp ON cp.company_id = p.id
    LEFT JOIN ld ON ld.company_id = p.id
    ORDER BY p.id`.execute(ex);
  return r.rows;
}

/** A company's samples, factor by factor (densities over its households). */
export function samplesOf(r: CountRow): Record<CreditFactorKey, FactorSample> {
  return {
    on_time: { count: r.on_time, n: r.judged },
    satisfaction: { count: r.sat_sum, n: r.rated },
    reopen: { count: r.reopened, n: r.dispatched },
    report_late: { count: r.ri_late, n: r.ri },
    report_missed: { count: r.ri_missed, n: r.ri },
    hazards: { count: r.hz_reported, n: r.households },
    rectification: { count: r.hz_on_time, n: r.hz_due },
    complaints: { count: r.complaints, n: r.households },
    disclosure: { count: r.ld_on_time, n: r.ld_due },
  };
}

/**
 * The city's value of each factor in a month: the samples of all companies pooled. A factor
 * nobody has a record of takes its `full` value (nothing to hold against anyone); a density's
 * city value of 0 gives everyone full points, as it should.
 */
export function cityValues(
  samples: readonly Record<CreditFactorKey, FactorSample>[],
): Record<CreditFactorKey, number> {
  const out = {} as Record<CreditFactorKey, number>;
  for (const def of CREDIT_FACTORS) {
    let count = 0;
    let n = 0;
    for (const s of samples) {
      count += s[def.key].count;
      n += s[def.key].n;
    }
    out[def.key] = n > 0 ? count / n : def.kind === 'density' ? 0 : def.full;
  }
  return out;
}

/**
 * Computes (or recomputes) every company's credit for one month and stores it in company_credit,
 * replacing the month's rows. `asOf` caps the month (a month in progress is scored on what has
 * happened so far). Returns how many companies were scored.
 */
export async function computeCredit(
  ex: Executor,
  period: string,
  asOf: Date = new Date(),
): Promise<number> {
  const rows = await countMonth(ex, period, asOf);
  const samples = rows.map(samplesOf);
  const city = cityValues(samples);
  const ids: number[] = [];
  const scores: number[] = [];
  const grades: string[] = [];
  const compounds: number[] = [];
  const factors: string[] = [];
  rows.forEach((r, i) => {
    const f = scoreFactors(samples[i]!, city);
    const score = scoreOf(f);
    ids.push(r.company_id);
    scores.push(score);
    grades.push(gradeOf(score));
    compounds.push(r.compounds);
    factors.push(JSON.stringify(f));
  });
  await sql`DELETE FROM company_credit WHERE period = ${period}::date`.execute(ex);
  await sql`
    INSERT INTO company_credit (company_id, period, score, grade, compounds, factors)
    SELECT u.id, ${period}::date, u.score, u.grade, u.compounds, u.factors::jsonb
    FROM unnest(${ids}::int[], ${scores}::real[], ${grades}::text[], ${compounds}::int[],
      ${factors}::text[]) AS u(id, score, grade, compounds, factors)`.execute(ex);
  return ids.length;
}

/** Whether a month has scores. */
export async function hasCredit(ex: Executor, period: string): Promise<boolean> {
  const r = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM (SELECT 1 FROM company_credit WHERE period = ${period}::date LIMIT 1) s`.execute(
    ex,
  );
  return r.rows[0]!.n > 0;
}

/**
 * Publishes the 红黑榜 of a month from its stored scores: city-wide and per district (a company
 * is a candidate in every district where it manages a compound), replacing what was published
 * for the month. Then keeps property_companies.credit_score and list in step with the latest
 * published month. Returns the entries written.
 */
export async function publishLists(
  ex: Executor,
  period: string,
): Promise<{ red: number; black: number }> {
  const r = await sql<{
    company_id: number;
    score: number;
    tickets: number;
    districts: number[];
  }>`
    SELECT cc.company_id, cc.score, coalesce((cc.factors -> 'on_time' ->> 'n')::int, 0) AS tickets,
      coalesce((SELECT array_agg(DISTINCT a.path[1]) FROM compounds c JOIN areas a ON a.id = c.area_id
        WHERE c.property_company_id = cc.company_id), '{}') AS districts
    FROM company_credit cc WHERE cc.period = ${period}::date`.execute(ex);
  const candidates = r.rows.map((x) => ({
    companyId: x.company_id,
    score: x.score,
    tickets: x.tickets,
  }));
  const entries: {
    district: number | null;
    list: 'red' | 'black';
    companyId: number;
    rank: number;
    score: number;
  }[] = [];
  const add = (district: number | null, size: number, among: typeof candidates) => {
    const l = listsOf(among, size);
    for (const e of l.red) entries.push({ district, list: 'red', ...e });
    for (const e of l.black) entries.push({ district, list: 'black', ...e });
  };
  add(null, LIST_RULES.citySize, candidates);
  const districts = [...new Set(r.rows.flatMap((x) => x.districts))].sort((a, b) => a - b);
  for (const d of districts) {
    const ids = new Set(r.rows.filter((x) => x.districts.includes(d)).map((x) => x.company_id));
    add(
      d,
      LIST_RULES.districtSize,
      candidates.filter((c) => ids.has(c.companyId)),
    );
  }
  await sql`DELETE FROM credit_lists WHERE period = ${period}::date`.execute(ex);
  if (entries.length) {
    await sql`
      INSERT INTO credit_lists (period, district_id, list, company_id, rank, score)
      SELECT ${period}::date, u.d, u.l, u.c, u.r, u.s
      FROM unnest(${entries.map((e) => e.district)}::int[], ${entries.map((e) => e.list)}::text[],
        ${entries.map((e) => e.companyId)}::int[], ${entries.map((e) => e.rank)}::int[],
        ${entries.map((e) => e.score)}::real[]) AS u(d, l, c, r, s)`.execute(ex);
  }
  await syncCompanies(ex);
  return {
    red: entries.filter((e) => e.list === 'red').length,
    black: entries.filter((e) => e.list === 'black').length,
  };
}

/** property_companies.credit_score and list from the latest published month (if any). */
export async function syncCompanies(ex: Executor): Promise<void> {
  await sql`
    WITH latest AS (SELECT max(period) AS period FROM credit_lists)
    UPDATE property_companies p SET credit_score = cc.score,
      list = coalesce((SELECT l.list FROM credit_lists l WHERE l.period = latest.period
        AND l.district_id IS NULL AND l.company_id = p.id), 'none')
    FROM company_credit cc, latest
    WHERE cc.company_id = p.id AND cc.period = latest.period`.execute(ex);
}

// ---------------------------------------------------------------------------------------------
// Reads

export interface Periods {
  computed: string[];
  published: string[];
}

export async function periods(ex: Executor): Promise<Periods> {
  const r = await sql<{ computed: string[] | null; published: string[] | null }>`
    SELECT (SELECT array_agg(to_char(period, 'YYYY-MM-DD') ORDER BY period DESC)
        FROM (SELECT DISTINCT period FROM company_credit) s) AS computed,
      (SELECT array_agg(to_char(period, 'YYYY-MM-DD') ORDER BY period DESC)
        FROM (SELECT DISTINCT period FROM credit_lists) s) AS published`.execute(ex);
  return { computed: r.rows[0]!.computed ?? [], published: r.rows[0]!.published ?? [] };
}

/** Whether anything is published for a month (lists can be legitimately empty: a row per month
 * is not guaranteed, so a month counts as published once its scores exist and lists were run). */
export async function districtsOf(ex: Executor): Promise<{ id: number; name: string }[]> {
  const r = await sql<{ id: number; name: string }>`
    SELECT id, name FROM areas WHERE level = 'district' ORDER BY code, id`.execute(ex);
  return r.rows;
}

export interface ListEntryRow {
  list: 'red' | 'black';
  rank: number;
  companyId: number;
  name: string;
  score: number;
  grade: string;
  compounds: number;
  factors: Record<string, ScoredFactor> | null;
  caseStatus: string | null;
}

/** The red and black list of a month, city-wide (district null) or one district's. */
export async function listEntries(
  ex: Executor,
  period: string,
  district: number | null,
): Promise<ListEntryRow[]> {
  const r = await sql<ListEntryRow>`
    SELECT l.list, l.rank, l.company_id AS "companyId", p.name, l.score, cc.grade,
      cc.compounds, cc.factors,
      (SELECT s.status FROM supervision_cases s WHERE s.company_id = l.company_id
        AND s.period = l.period ORDER BY s.opened_at DESC LIMIT 1) AS "caseStatus"
    FROM credit_lists l JOIN property_companies p ON p.id = l.company_id
    JOIN company_credit cc ON cc.company_id = l.company_id AND cc.period = l.period
    WHERE l.period = ${period}::date
      AND ${district === null ? sql`l.district_id IS NULL` : sql`l.district_id = ${district}`}
    ORDER BY l.list DESC, l.rank`.execute(ex);
  return r.rows;
}

export type RankingSort = 'score' | 'name' | 'compounds';

export interface RankingRow {
  rank: number;
  companyId: number;
  name: string;
  score: number;
  grade: string;
  compounds: number;
  list: 'red' | 'black' | null;
  change: number | null;
}

/** Every company's score in a month, ranked (rank by score among those shown), paged. */
export async function ranking(
  ex: Executor,
  o: {
    period: string;
    district: number | null;
    only: CompanyFilter;
    sort: RankingSort;
    order: 'asc' | 'desc';
    limit: number;
    offset: number;
  },
): Promise<{ total: number; items: RankingRow[] }> {
  const inDistrict =
    o.district === null
      ? sql<boolean>`true`
      : sql<boolean>`EXISTS (SELECT 1 FROM compounds c JOIN areas a ON a.id = c.area_id
          WHERE c.property_company_id = cc.company_id AND a.path[1] = ${o.district})`;
  const key =
    o.sort === 'name' ? sql`r.name` : o.sort === 'compounds' ? sql`r.compounds` : sql`r.score`;
  const dir = o.order === 'asc' ? sql`ASC` : sql`DESC`;
  const r = await sql<RankingRow & { total: number }>`
    WITH ranked AS (
      SELECT cc.company_id AS "companyId", p.name, cc.score, cc.grade, cc.compounds,
        rank() OVER (ORDER BY cc.score DESC)::int AS rank,
        (SELECT l.list FROM credit_lists l WHERE l.period = cc.period AND l.company_id = cc.company_id
          AND ${o.district === null ? sql`l.district_id IS NULL` : sql`l.district_id = ${o.district}`}) AS list,
        round((cc.score - prev.score)::numeric, 1)::float8 AS change
      FROM company_credit cc JOIN property_companies p ON p.id = cc.company_id
      LEFT JOIN company_credit prev ON prev.company_id = cc.company_id
        AND prev.period = (cc.period - interval '1 month')::date
      WHERE cc.period = ${o.period}::date AND ${inDistrict}
    )
    SELECT r.*, count(*) OVER ()::int AS total FROM ranked r
    WHERE ${companyCond(o.only, 'r.companyId')}
    ORDER BY ${key} ${dir}, r."companyId"
    LIMIT ${o.limit} OFFSET ${o.offset}`.execute(ex);
  const total =
    r.rows[0]?.total ??
    Number(
      (
        await sql<{ n: number }>`
          SELECT count(*)::int AS n FROM company_credit cc WHERE cc.period = ${o.period}::date
            AND ${companyCond(o.only, 'cc.company_id')} AND ${inDistrict}`.execute(ex)
      ).rows[0]!.n,
    );
  return { total, items: r.rows.map(({ total: _t, ...row }) => row) };
}

export interface CompanyPageRow {
  id: number;
  name: string;
  trustModel: boolean;
  creditScore: number;
  list: 'red' | 'black' | 'none';
  credit: {
    score: number;
    grade: string;
    compounds: number;
    factors: Record<string, ScoredFactor>;
    rank: number;
    of: number;
  } | null;
  trend: { period: string; score: number; grade: string }[];
  lists: {
    district: number | null;
    districtName: string | null;
    list: 'red' | 'black';
    rank: number;
  }[];
  compounds: {
    id: number;
    name: string;
    households: number;
    districtId: number;
    communityId: number;
    label: [number, number];
    color: 'red' | 'yellow' | 'blue' | null;
  }[];
}

/** A company's page for a month: its credit, 12-month trend, lists, compounds. Null: no company. */
export async function companyPage(
  ex: Executor,
  id: number,
  period: string,
): Promise<CompanyPageRow | null> {
  const r = await sql<CompanyPageRow>`
    SELECT p.id, p.name, p.trust_model AS "trustModel", p.credit_score AS "creditScore", p.list,
      (SELECT json_build_object('score', cc.score, 'grade', cc.grade, 'compounds', cc.compounds,
          'factors', cc.factors,
          'rank', (SELECT count(*) + 1 FROM company_credit o WHERE o.period = cc.period AND o.score > cc.score),
          'of', (SELECT count(*) FROM company_credit o WHERE o.period = cc.period))
        FROM company_credit cc WHERE cc.company_id = p.id AND cc.period = ${period}::date) AS credit,
      coalesce((SELECT json_agg(json_build_object('period', to_char(cc.period, 'YYYY-MM-DD'),
          'score', cc.score, 'grade', cc.grade) ORDER BY cc.period)
        FROM company_credit cc WHERE cc.company_id = p.id AND cc.period <= ${period}::date
          AND cc.period > (${period}::date - interval '12 months')), '[]') AS trend,
      coalesce((SELECT json_agg(json_build_object('district', l.district_id, 'districtName', d.name,
          'list', l.list, 'rank', l.rank) ORDER BY l.district_id NULLS FIRST)
        FROM credit_lists l LEFT JOIN areas d ON d.id = l.district_id
        WHERE l.company_id = p.id AND l.period = ${period}::date), '[]') AS lists,
      coalesce((SELECT json_agg(json_build_object('id', a.id, 'name', a.name,
          'households', c.households, 'districtId', a.path[1], 'communityId', a.path[3],
          'label', json_build_array(round(ST_X(a.label_point)::numeric, 6), round(ST_Y(a.label_point)::numeric, 6)),
          'color', (SELECT cr.color FROM compound_ratings cr WHERE cr.compound_id = c.area_id
            ORDER BY cr.period DESC LIMIT 1)) ORDER BY a.name, a.id)
        FROM compounds c JOIN areas a ON a.id = c.area_id WHERE c.property_company_id = p.id), '[]') AS compounds
    FROM property_companies p WHERE p.id = ${id}`.execute(ex);
  return r.rows[0] ?? null;
}

export interface EvidenceItem {
  id: number;
  code: string;
  title: string;
  kind: string;
  status: string;
  at: string;
  dueAt: string | null;
  doneAt: string | null;
  value: number | null;
  bad: boolean;
  compoundId: number | null;
  compoundName: string | null;
}

/**
 * The records behind one factor of a company-month: how many there are (`total`, `bad`), and
 * those the reader's rule on the noun lets it see, bad ones first. A reader with no rule on the
 * noun (`none`, e.g. a planner) gets the counts only.
 */
export async function evidence(
  ex: Executor,
  o: {
    companyId: number;
    period: string;
    factor: CreditFactorKey;
    rule: ReadRule;
    limit: number;
    offset: number;
    asOf: Date;
  },
): Promise<{ total: number; bad: number; visible: number; items: EvidenceItem[] }> {
  const def = CREDIT_FACTOR[o.factor];
  const b = bounds(o.period, o.asOf);
  let records: RawBuilder<unknown>;
  const inMonth = (col: string) =>
    sql`${sql.ref(col)} >= b.start_ts AND ${sql.ref(col)} < b.end_ts`;
  if (def.evidence === 'tickets') {
    const sample =
      o.factor === 'complaints'
        ? sql`t.compound_id IN (SELECT area_id FROM compounds WHERE property_company_id = ${o.companyId})
            AND t.category = 'property_service' AND t.status <> 'rejected_duplicate'`
        : sql`t.property_company_id = ${o.companyId} AND t.status NOT IN ('received', 'rejected_duplicate')`;
    const extra =
      o.factor === 'on_time'
        ? sql`AND (t.due_at < b.end_ts OR t.resolved_at < b.end_ts)`
        : o.factor === 'satisfaction'
          ? sql`AND t.satisfaction IS NOT NULL`
          : sql``;
    const bad =
      o.factor === 'on_time'
        ? sql`NOT coalesce(t.resolved_at <= t.due_at AND t.resolved_at < b.end_ts, false)`
        : o.factor === 'satisfaction'
          ? sql`t.satisfaction <= 3`
          : o.factor === 'reopen'
            ? sql`EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND e.status = 'reopened')`
            : sql`true`;
    records = sql`
      SELECT t.id, t.code, t.title, t.category AS kind, t.status, t.received_at AS at,
        t.due_at AS "dueAt", t.resolved_at AS "doneAt", t.satisfaction::float8 AS value,
        ${bad} AS bad, t.compound_id AS "compoundId",
        ${scopeCondition(o.rule, 'tickets', 't')} AS visible
      FROM tickets t CROSS JOIN b
      WHERE ${sample} AND ${inMonth('t.received_at')} ${extra}`;
  } else if (def.evidence === 'report_ins') {
    const bad =
      o.factor === 'report_late'
        ? sql`r.reported_at > w.report_due_at`
        : sql`r.reported_at IS NULL`;
    records = sql`
      SELECT w.id, w.code, w.reason AS title, w.level AS kind,
        CASE WHEN r.reported_at IS NULL THEN 'missed' WHEN r.reported_at > w.report_due_at THEN 'late'
          ELSE 'on_time' END AS status,
        w.blown_at AS at, w.report_due_at AS "dueAt", r.reported_at AS "doneAt", NULL::float8 AS value,
        coalesce(${bad}, false) AS bad, w.compound_id AS "compoundId",
        ${scopeCondition(o.rule, 'whistles', 'w')} AS visible
      FROM whistle_report_ins r JOIN whistles w ON w.id = r.whistle_id CROSS JOIN b
      WHERE r.property_company_id = ${o.companyId} AND ${inMonth('w.report_due_at')}`;
  } else if (def.evidence === 'ledgers') {
    // A compound-month of the previous month: its first publication against the due date.
    // Whether a ledger was published is public, so every reader sees these records.
    const due = ledgerDue(o.period);
    records = sql`
      SELECT c.area_id AS id, to_char((${o.period}::date - interval '1 month'), 'YYYY-MM') AS code,
        a.name AS title, 'ledger' AS kind,
        CASE WHEN d.first_published_at IS NULL OR d.first_published_at >= b.end_ts THEN 'missing'
          WHEN d.first_published_at <= ${due} THEN 'on_time' ELSE 'late' END AS status,
        ${due} AS at, ${due} AS "dueAt", d.first_published_at AS "doneAt", NULL::float8 AS value,
        NOT coalesce(d.first_published_at <= ${due} AND d.first_published_at < b.end_ts, false) AS bad,
        c.area_id AS "compoundId", true AS visible
      FROM compounds c JOIN areas a ON a.id = c.area_id CROSS JOIN b
      LEFT JOIN ledger_disclosures d ON d.compound_id = c.area_id
        AND d.period = (${o.period}::date - interval '1 month')::date
      WHERE c.property_company_id = ${o.companyId} AND ${due} <= b.end_ts`;
  } else {
    const when = o.factor === 'hazards' ? 'h.reported_at' : 'h.due_at';
    const bad =
      o.factor === 'hazards' ? sql`true` : sql`NOT coalesce(h.rectified_at <= h.due_at, false)`;
    records = sql`
      SELECT h.id, h.code, h.description AS title, h.type AS kind, h.status, h.reported_at AS at,
        h.due_at AS "dueAt", h.rectified_at AS "doneAt", NULL::float8 AS value, ${bad} AS bad,
        h.compound_id AS "compoundId", ${scopeCondition(o.rule, 'hazards', 'h')} AS visible
      FROM hazards h CROSS JOIN b
      WHERE h.compound_id IN (SELECT area_id FROM compounds WHERE property_company_id = ${o.companyId})
        AND ${inMonth(when)}`;
  }
  const r = await sql<{
    total: number;
    bad: number;
    visible: number;
    items: EvidenceItem[] | null;
  }>`
    WITH b AS (${b}), rec AS (${records})
    SELECT (SELECT count(*)::int FROM rec) AS total,
      (SELECT count(*) FILTER (WHERE bad)::int FROM rec) AS bad,
      (SELECT count(*) FILTER (WHERE visible)::int FROM rec) AS visible,
      (SELECT json_agg(json_build_object('id', x.id, 'code', x.code, 'title', x.title,
          'kind', x.kind, 'status', x.status, 'at', x.at, 'dueAt', x."dueAt", 'doneAt', x."doneAt",
          'value', x.value, 'bad', x.bad, 'compoundId', x."compoundId", 'compoundName', a.name)
          ORDER BY x.bad DESC, x.at DESC, x.id)
        FROM (SELECT * FROM rec WHERE visible ORDER BY bad DESC, at DESC, id
          LIMIT ${o.limit} OFFSET ${o.offset}) x
        LEFT JOIN areas a ON a.id = x."compoundId") AS items`.execute(ex);
  const row = r.rows[0]!;
  return { total: row.total, bad: row.bad, visible: row.visible, items: row.items ?? [] };
}

export interface CreditMapRow {
  period: string | null;
  companies: { ids: number[]; names: string[]; scores: number[]; grades: string[] };
  compounds: { ids: number[]; company: number[]; lon: number[]; lat: number[] };
}

/**
 * The managed compounds of the city (or of one company) with their company's score of a month,
 * as columns packed in SQL: one array per attribute, the compound's company as an index into the
 * company columns.
 */
export async function creditMap(
  ex: Executor,
  period: string,
  only: CompanyFilter,
): Promise<CreditMapRow> {
  const r = await sql<CreditMapRow>`
    WITH co AS (
      SELECT (row_number() OVER (ORDER BY cc.company_id) - 1)::int AS i, cc.company_id, p.name,
        cc.score, cc.grade
      FROM company_credit cc JOIN property_companies p ON p.id = cc.company_id
      WHERE cc.period = ${period}::date AND ${companyCond(only, 'cc.company_id')}
    ), cm AS (
      SELECT c.area_id, co.i, ST_X(a.label_point) AS lon, ST_Y(a.label_point) AS lat
      FROM compounds c JOIN co ON co.company_id = c.property_company_id
      JOIN areas a ON a.id = c.area_id
    )
    SELECT ${period}::text AS period,
      json_build_object(
        'ids', coalesce((SELECT array_agg(company_id ORDER BY i) FROM co), '{}'),
        'names', coalesce((SELECT array_agg(name ORDER BY i) FROM co), '{}'),
        'scores', coalesce((SELECT array_agg(score ORDER BY i) FROM co), '{}'),
        'grades', coalesce((SELECT array_agg(grade ORDER BY i) FROM co), '{}')) AS companies,
      json_build_object(
        'ids', coalesce((SELECT array_agg(area_id ORDER BY area_id) FROM cm), '{}'),
        'company', coalesce((SELECT array_agg(i ORDER BY area_id) FROM cm), '{}'),
        'lon', coalesce((SELECT array_agg(round(lon::numeric, 5)::float8 ORDER BY area_id) FROM cm), '{}'),
        'lat', coalesce((SELECT array_agg(round(lat::numeric, 5)::float8 ORDER BY area_id) FROM cm), '{}')
      ) AS compounds`.execute(ex);
  return r.rows[0]!;
}

/** Whether a company exists. */
export async function companyExists(ex: Executor, id: number): Promise<boolean> {
  const r = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM property_companies WHERE id = ${id}`.execute(ex);
  return r.rows[0]!.n > 0;
}
