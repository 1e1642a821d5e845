/**
 * 信托制物业 ledgers in SQL: the compound-months with their current revision and disclosure,
 * drafts and publication, the anomaly flags (counted here, judged by geo/ledgers.ts), the area
 * summaries, the flagged list and a company's disclosure record. Amounts are bigint fen, read as
 * float8 (exact below 2^53 fen).
 */
import { sql, type RawBuilder } from 'kysely';
import {
  addMonths,
  ANOMALY_THRESHOLDS,
  dueAt,
  LEDGER_CATEGORIES,
  ledgerFlags,
  type LedgerCategory,
  type LedgerLine,
} from '../../../geo/ledgers.ts';
import type { PlaceRule } from '../../policy.ts';
import type { Executor } from './audit.ts';
import { placeCondition } from './scope.ts';

const CAT_KEYS = LEDGER_CATEGORIES.map((c) => c.key);
const SPENDING = LEDGER_CATEGORIES.filter((c) => c.section === 'spending').map((c) => c.key);

export interface CompoundRow {
  id: number;
  name: string;
  path: number[];
  households: number;
  companyId: number | null;
  companyName: string | null;
}

export async function findCompound(ex: Executor, id: number): Promise<CompoundRow | null> {
  const r = await sql<CompoundRow>`
    SELECT a.id, a.name, a.path, c.households, c.property_company_id AS "companyId",
      p.name AS "companyName"
    FROM compounds c JOIN areas a ON a.id = c.area_id
    LEFT JOIN property_companies p ON p.id = c.property_company_id
    WHERE c.area_id = ${id}`.execute(ex);
  return r.rows[0] ?? null;
}

export interface PlaceRow {
  id: number;
  name: string;
  level: 'district' | 'subdistrict' | 'community' | 'grid' | 'compound';
  path: number[];
}

export async function findArea(ex: Executor, id: number): Promise<PlaceRow | null> {
  const r = await sql<PlaceRow>`
    SELECT id, name, level, path FROM areas WHERE id = ${id}`.execute(ex);
  return r.rows[0] ?? null;
}

export interface LedgerHead {
  id: number;
  compoundId: number;
  compoundName: string;
  companyId: number;
  companyName: string;
  path: number[];
  period: string;
  revision: number;
  status: 'draft' | 'published' | 'superseded';
  reason: string | null;
  carried: number;
  billed: number;
  collected: number;
  common: number;
  spending: number;
  flags: unknown[];
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
}

const HEAD = sql`
  l.id, l.compound_id AS "compoundId", a.name AS "compoundName", l.company_id AS "companyId",
  p.name AS "companyName", l.area_path AS path, to_char(l.period, 'YYYY-MM-DD') AS period,
  l.revision, l.status, l.reason, l.carried::float8 AS carried, l.billed::float8 AS billed,
  l.collected::float8 AS collected, l.common::float8 AS common, l.spending::float8 AS spending,
  l.flags, l.created_at AS "createdAt", l.updated_at AS "updatedAt", l.published_at AS "publishedAt"`;

export interface LineRow extends LedgerLine {
  lineNo: number;
}

export async function ledgerById(
  ex: Executor,
  id: number,
): Promise<(LedgerHead & { lines: LineRow[] }) | null> {
  const r = await sql<LedgerHead & { lines: LineRow[] | null }>`
    SELECT ${HEAD},
      (SELECT json_agg(json_build_object('lineNo', x.line_no, 'category', x.category,
          'counterpart', x.counterpart, 'amount', x.amount::float8,
          'occurredOn', to_char(x.occurred_on, 'YYYY-MM-DD'), 'note', x.note) ORDER BY x.line_no)
        FROM ledger_lines x WHERE x.ledger_id = l.id) AS lines
    FROM ledgers l JOIN areas a ON a.id = l.compound_id
    JOIN property_companies p ON p.id = l.company_id
    WHERE l.id = ${id}`.execute(ex);
  const row = r.rows[0];
  return row ? { ...row, lines: row.lines ?? [] } : null;
}

/** Every revision of a compound-month, newest first. */
export async function revisionsOf(
  ex: Executor,
  compoundId: number,
  period: string,
): Promise<LedgerHead[]> {
  const r = await sql<LedgerHead>`
    SELECT ${HEAD}
    FROM ledgers l JOIN areas a ON a.id = l.compound_id
    JOIN property_companies p ON p.id = l.company_id
    WHERE l.compound_id = ${compoundId} AND l.period = ${period}::date
    ORDER BY l.revision DESC`.execute(ex);
  return r.rows;
}

export interface MonthRow {
  period: string;
  firstPublishedAt: string | null;
  published: {
    id: number;
    revision: number;
    billed: number;
    collected: number;
    common: number;
    spending: number;
    carried: number;
    flags: unknown[];
    publishedAt: string;
  } | null;
  draft: {
    id: number;
    revision: number;
    spending: number;
    updatedAt: string;
    flags: unknown[];
  } | null;
}

/** A compound's months from `from` to `to` (YYYY-MM-01, inclusive), each with its current revisions. */
export async function monthsOf(
  ex: Executor,
  compoundId: number,
  from: string,
  to: string,
): Promise<MonthRow[]> {
  const r = await sql<MonthRow>`
    SELECT to_char(m.period, 'YYYY-MM-DD') AS period, d.first_published_at AS "firstPublishedAt",
      (SELECT json_build_object('id', l.id, 'revision', l.revision, 'billed', l.billed::float8,
          'collected', l.collected::float8, 'common', l.common::float8, 'spending', l.spending::float8,
          'carried', l.carried::float8, 'flags', l.flags, 'publishedAt', l.published_at)
        FROM ledgers l WHERE l.compound_id = ${compoundId} AND l.period = m.period
          AND l.status = 'published') AS published,
      (SELECT json_build_object('id', l.id, 'revision', l.revision, 'spending', l.spending::float8,
          'updatedAt', l.updated_at, 'flags', l.flags)
        FROM ledgers l WHERE l.compound_id = ${compoundId} AND l.period = m.period
          AND l.status = 'draft') AS draft
    FROM generate_series(${from}::date, ${to}::date, interval '1 month') AS m(period)
    LEFT JOIN ledger_disclosures d ON d.compound_id = ${compoundId} AND d.period = m.period::date
    ORDER BY m.period DESC`.execute(ex);
  return r.rows;
}

/** The closing balance of the latest published month before `period` (0 if none). */
export async function previousClosing(
  ex: Executor,
  compoundId: number,
  period: string,
): Promise<number> {
  const r = await sql<{ closing: number }>`
    SELECT (carried + collected + common - spending)::float8 AS closing FROM ledgers
    WHERE compound_id = ${compoundId} AND period < ${period}::date AND status = 'published'
    ORDER BY period DESC LIMIT 1`.execute(ex);
  return r.rows[0]?.closing ?? 0;
}

/** The current draft and published revision of a compound-month (ids and revisions). */
export async function currentOf(ex: Executor, compoundId: number, period: string) {
  const r = await sql<{ id: number; revision: number; status: string; reason: string | null }>`
    SELECT id, revision, status, reason FROM ledgers
    WHERE compound_id = ${compoundId} AND period = ${period}::date ORDER BY revision DESC`.execute(
    ex,
  );
  return {
    draft: r.rows.find((x) => x.status === 'draft') ?? null,
    published: r.rows.find((x) => x.status === 'published') ?? null,
    maxRevision: r.rows[0]?.revision ?? 0,
  };
}

/** Replaces the compound-month's draft (if any) with a new one and its lines; returns its id. */
export async function writeDraft(
  ex: Executor,
  d: {
    compoundId: number;
    companyId: number;
    path: number[];
    period: string;
    revision: number;
    reason: string | null;
    carried: number;
    totals: { billed: number; collected: number; common: number; spending: number };
    lines: readonly LedgerLine[];
  },
): Promise<number> {
  await sql`DELETE FROM ledgers WHERE compound_id = ${d.compoundId} AND period = ${d.period}::date
    AND status = 'draft'`.execute(ex);
  const r = await sql<{ id: number }>`
    INSERT INTO ledgers (compound_id, company_id, area_path, period, revision, status, reason,
      carried, billed, collected, common, spending)
    VALUES (${d.compoundId}, ${d.companyId}, ${d.path}::int[], ${d.period}::date, ${d.revision},
      'draft', ${d.reason}, ${d.carried}, ${d.totals.billed}, ${d.totals.collected},
      ${d.totals.common}, ${d.totals.spending})
    RETURNING id`.execute(ex);
  const id = r.rows[0]!.id;
  const L = d.lines;
  await sql`
    INSERT INTO ledger_lines (ledger_id, line_no, category, counterpart, amount, occurred_on, note)
    SELECT ${id}, u.n, u.c, u.w, u.a, u.d, u.note
    FROM unnest(${L.map((_, i) => i + 1)}::int[], ${L.map((l) => l.category)}::text[],
      ${L.map((l) => l.counterpart)}::text[], ${L.map((l) => l.amount)}::int8[],
      ${L.map((l) => l.occurredOn)}::date[], ${L.map((l) => l.note)}::text[])
      AS u(n, c, w, a, d, note)`.execute(ex);
  return id;
}

/** Publishes a draft: the published revision (if any) is superseded; the first publication is kept. */
export async function publishDraft(ex: Executor, id: number, at: Date): Promise<boolean> {
  const r = await sql<{ compound_id: number; period: string }>`
    SELECT compound_id, to_char(period, 'YYYY-MM-DD') AS period FROM ledgers
    WHERE id = ${id} AND status = 'draft' FOR UPDATE`.execute(ex);
  const row = r.rows[0];
  if (!row) return false;
  await sql`UPDATE ledgers SET status = 'superseded', updated_at = ${at.toISOString()}::timestamptz
    WHERE compound_id = ${row.compound_id} AND period = ${row.period}::date
      AND status = 'published'`.execute(ex);
  await sql`UPDATE ledgers SET status = 'published', published_at = ${at.toISOString()}::timestamptz,
      updated_at = ${at.toISOString()}::timestamptz WHERE id = ${id}`.execute(ex);
  await sql`
    INSERT INTO ledger_disclosures (compound_id, period, company_id, area_path, first_published_at)
    SELECT compound_id, period, company_id, area_path, published_at FROM ledgers WHERE id = ${id}
    ON CONFLICT (compound_id, period) DO NOTHING`.execute(ex);
  return true;
}

/** Discards a draft; false if it is no draft. */
export async function deleteDraft(ex: Executor, id: number): Promise<boolean> {
  const r = await sql`DELETE FROM ledgers WHERE id = ${id} AND status = 'draft'`.execute(ex);
  return Number(r.numAffectedRows ?? 0) > 0;
}

// ---------------------------------------------------------------------------------------------
// Flags

interface FlagData {
  ids: number[];
  compound: number[];
  period: string[];
  district: number[];
  households: number[];
  carried: number[];
  status: string[];
  firstPub: (string | null)[];
  target: boolean[];
  /** Category totals, CAT_KEYS order, flattened (row-major). */
  totals: number[];
}

/**
 * Recomputes the anomaly flags (geo/ledgers.ts ledgerFlags) of some ledgers (`ids`), or of all
 * (null: the seed), judged as of `now`. One packed read of the ledgers concerned, their
 * compounds' other months and their district peers; one write.
 */
export async function recomputeFlags(
  ex: Executor,
  o: { ids: number[] | null; now: Date },
): Promise<void> {
  const isTarget = o.ids === null ? sql`true` : sql`l.id = ANY(${o.ids}::int[])`;
  const concerned: RawBuilder<boolean> =
    o.ids === null
      ? sql<boolean>`true`
      : sql<boolean>`(l.id = ANY(${o.ids}::int[])
        OR l.compound_id IN (SELECT compound_id FROM ledgers WHERE id = ANY(${o.ids}::int[]))
        OR (l.status = 'published' AND (l.area_path[1], l.period) IN
          (SELECT area_path[1], period FROM ledgers WHERE id = ANY(${o.ids}::int[]))))`;
  const cats = sql.join(
    CAT_KEYS.map((k) => sql`coalesce(sum(x.amount) FILTER (WHERE x.category = ${k}), 0)::float8`),
  );
  const r = await sql<FlagData>`
    WITH s AS (
      SELECT l.id, l.compound_id, to_char(l.period, 'YYYY-MM-DD') AS period,
        l.area_path[1] AS district, c.households, l.carried::float8 AS carried, l.status,
        d.first_published_at AS first_pub, ${isTarget} AS target,
        (SELECT ARRAY[${cats}] FROM ledger_lines x WHERE x.ledger_id = l.id) AS totals
      FROM ledgers l JOIN compounds c ON c.area_id = l.compound_id
      LEFT JOIN ledger_disclosures d ON d.compound_id = l.compound_id AND d.period = l.period
      WHERE ${concerned}
    )
    SELECT coalesce(array_agg(id ORDER BY id), '{}') AS ids,
      coalesce(array_agg(compound_id ORDER BY id), '{}') AS compound,
      coalesce(array_agg(period ORDER BY id), '{}') AS period,
      coalesce(array_agg(district ORDER BY id), '{}') AS district,
      coalesce(array_agg(households ORDER BY id), '{}') AS households,
      coalesce(array_agg(carried ORDER BY id), '{}') AS carried,
      coalesce(array_agg(status ORDER BY id), '{}') AS status,
      coalesce(array_agg(to_char(first_pub AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') ORDER BY id), '{}') AS "firstPub",
      coalesce(array_agg(target ORDER BY id), '{}') AS target,
      coalesce((SELECT array_agg(v ORDER BY id, k) FROM s, unnest(s.totals) WITH ORDINALITY AS t(v, k)), '{}') AS totals
    FROM s`.execute(ex);
  const d = r.rows[0]!;
  const n = d.ids.length;
  const C = CAT_KEYS.length;
  const total = (i: number, cat: LedgerCategory) => Number(d.totals[i * C + CAT_KEYS.indexOf(cat)]);
  // Index the published months by compound and by district-month.
  const byCompound = new Map<number, number[]>();
  const byDistrictMonth = new Map<string, number[]>();
  const disclosed = new Map<number, Map<string, string | null>>();
  for (let i = 0; i < n; i++) {
    const c = d.compound[i]!;
    let m = disclosed.get(c);
    if (!m) disclosed.set(c, (m = new Map()));
    if (!m.has(d.period[i]!) || d.firstPub[i]) m.set(d.period[i]!, d.firstPub[i] ?? null);
    if (d.status[i] !== 'published') continue;
    const own = byCompound.get(c);
    if (own) own.push(i);
    else byCompound.set(c, [i]);
    const k = `${d.district[i]}:${d.period[i]}`;
    const peers = byDistrictMonth.get(k);
    if (peers) peers.push(i);
    else byDistrictMonth.set(k, [i]);
  }
  const ids: number[] = [];
  const flags: string[] = [];
  const peerArrays = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    if (!d.target[i]) continue;
    const c = d.compound[i]!;
    const period = d.period[i]!;
    const history: Partial<Record<LedgerCategory, number[]>> = {};
    const peers: Partial<Record<LedgerCategory, number[]>> = {};
    const own = (byCompound.get(c) ?? []).filter((j) => d.period[j]! < period);
    const dm = `${d.district[i]}:${period}`;
    for (const cat of SPENDING) {
      history[cat] = own.map((j) => total(j, cat)).filter((v) => v > 0);
      // One array per district, month and category, shared by its compounds (its own included),
      // so farAbove's memo computes each median once: city scale has ~55k ledgers.
      const key = `${dm}:${cat}`;
      let arr = peerArrays.get(key);
      if (!arr) {
        arr = (byDistrictMonth.get(dm) ?? [])
          .filter((j) => d.households[j]! > 0)
          .map((j) => total(j, cat) / d.households[j]!)
          .filter((v) => v > 0);
        peerArrays.set(key, arr);
      }
      peers[cat] = arr;
    }
    const months = disclosed.get(c)!;
    const first = [...months.keys()].sort()[0] ?? period;
    const missingMonths: string[] = [];
    for (let k = 1; k <= ANOMALY_THRESHOLDS.missingLookback; k++) {
      const m = addMonths(period, -k);
      if (m < first) break;
      const pub = months.get(m);
      if (dueAt(m) <= o.now && !(pub && Date.parse(pub) <= o.now.getTime())) missingMonths.push(m);
    }
    const lines = CAT_KEYS.map((category) => ({ category, amount: total(i, category) }));
    const fp = d.firstPub[i];
    ids.push(d.ids[i]!);
    flags.push(
      JSON.stringify(
        ledgerFlags({
          period,
          lines,
          carried: Number(d.carried[i]),
          households: d.households[i]!,
          history,
          peers,
          missingMonths,
          firstPublishedAt: fp && Date.parse(fp) <= o.now.getTime() ? new Date(fp) : null,
        }),
      ),
    );
  }
  if (!ids.length) return;
  await sql`
    UPDATE ledgers l SET flags = u.f::jsonb
    FROM unnest(${ids}::int[], ${flags}::text[]) AS u(id, f) WHERE l.id = u.id`.execute(ex);
}

// ---------------------------------------------------------------------------------------------
// Disclosure: summaries, map, flagged list, a company's record

/** The disclosure status of a compound-month as SQL (d: ledger_disclosures row, or null). */
const statusSql = (period: string, now: Date) => {
  const due = dueAt(period).toISOString();
  const at = now.toISOString();
  return sql<string>`CASE
    WHEN d.first_published_at IS NOT NULL AND d.first_published_at <= ${at}::timestamptz
      THEN CASE WHEN d.first_published_at <= ${due}::timestamptz THEN 'on_time' ELSE 'late' END
    WHEN ${at}::timestamptz > ${due}::timestamptz THEN 'missing' ELSE 'pending' END`;
};

export interface SummaryRow {
  id: number;
  name: string;
  level: string;
  compounds: number;
  onTime: number;
  late: number;
  missing: number;
  pending: number;
  flagged: number;
}

/**
 * Per child of an area (areas at path depth `depth` under `areaId`, or the districts), the
 * managed compounds' disclosure for a month, and how many have flagged ledgers (published ones,
 * or, where `flagRule` reaches, drafts too).
 */
export async function summary(
  ex: Executor,
  o: { areaId: number | null; depth: number; period: string; now: Date; flagRule: PlaceRule },
): Promise<SummaryRow[]> {
  const under = o.areaId === null ? sql`true` : sql`a.path @> ARRAY[${o.areaId}::int]`;
  const r = await sql<SummaryRow>`
    WITH cm AS (
      SELECT a.path[${o.depth}] AS child, ${statusSql(o.period, o.now)} AS status,
        EXISTS (SELECT 1 FROM ledgers l WHERE l.compound_id = c.area_id AND l.period = ${o.period}::date
          AND jsonb_array_length(l.flags) > 0
          AND (l.status = 'published' OR (l.status = 'draft'
            AND ${placeCondition(o.flagRule, sql.ref('l.area_path'), sql.ref('l.compound_id'))}))) AS flagged
      FROM compounds c JOIN areas a ON a.id = c.area_id
      LEFT JOIN ledger_disclosures d ON d.compound_id = c.area_id AND d.period = ${o.period}::date
      WHERE c.property_company_id IS NOT NULL AND ${under}
        AND array_length(a.path, 1) >= ${o.depth}
    )
    SELECT ch.id, ch.name, ch.level, count(cm.child)::int AS compounds,
      count(*) FILTER (WHERE cm.status = 'on_time')::int AS "onTime",
      count(*) FILTER (WHERE cm.status = 'late')::int AS late,
      count(*) FILTER (WHERE cm.status = 'missing')::int AS missing,
      count(*) FILTER (WHERE cm.status = 'pending')::int AS pending,
      count(*) FILTER (WHERE cm.flagged)::int AS flagged
    FROM areas ch LEFT JOIN cm ON cm.child = ch.id
    WHERE array_length(ch.path, 1) = ${o.depth} AND ch.level <> 'grid'
      AND ${o.areaId === null ? sql`true` : sql`ch.path @> ARRAY[${o.areaId}::int]`}
    GROUP BY ch.id, ch.name, ch.level, ch.code
    ORDER BY ch.code NULLS LAST, ch.name, ch.id`.execute(ex);
  return r.rows;
}

export interface CompoundStatusColumns {
  ids: number[];
  names: string[];
  lon: number[];
  lat: number[];
  status: string[];
  flags: number[];
}

/** The managed compounds under an area with their status of a month, as packed columns. */
export async function compoundStatuses(
  ex: Executor,
  o: { areaId: number | null; period: string; now: Date },
): Promise<CompoundStatusColumns> {
  const under = o.areaId === null ? sql`true` : sql`a.path @> ARRAY[${o.areaId}::int]`;
  const r = await sql<CompoundStatusColumns>`
    WITH s AS (
      SELECT c.area_id AS id, a.name, ST_X(a.label_point) AS lon, ST_Y(a.label_point) AS lat,
        ${statusSql(o.period, o.now)} AS status,
        coalesce((SELECT jsonb_array_length(l.flags) FROM ledgers l WHERE l.compound_id = c.area_id
          AND l.period = ${o.period}::date AND l.status = 'published'), 0) AS flags
      FROM compounds c JOIN areas a ON a.id = c.area_id
      LEFT JOIN ledger_disclosures d ON d.compound_id = c.area_id AND d.period = ${o.period}::date
      WHERE c.property_company_id IS NOT NULL AND ${under}
    )
    SELECT coalesce(array_agg(id ORDER BY id), '{}') AS ids,
      coalesce(array_agg(name ORDER BY id), '{}') AS names,
      coalesce(array_agg(round(lon::numeric, 5)::float8 ORDER BY id), '{}') AS lon,
      coalesce(array_agg(round(lat::numeric, 5)::float8 ORDER BY id), '{}') AS lat,
      coalesce(array_agg(status ORDER BY id), '{}') AS status,
      coalesce(array_agg(flags ORDER BY id), '{}') AS flags
    FROM s`.execute(ex);
  return r.rows[0]!;
}

export interface FlaggedRow {
  id: number;
  compoundId: number;
  compoundName: string;
  companyId: number;
  companyName: string;
  period: string;
  status: string;
  revision: number;
  flags: unknown[];
}

/**
 * The flagged ledgers (current revisions) of a month under an area: published ones for anyone,
 * drafts where `rule` reaches. Most flags first.
 */
export async function flagged(
  ex: Executor,
  o: {
    areaId: number | null;
    period: string;
    rule: PlaceRule;
    company: number | null;
    limit: number;
    offset: number;
  },
): Promise<{ total: number; items: FlaggedRow[] }> {
  const under = o.areaId === null ? sql`true` : sql`l.area_path @> ARRAY[${o.areaId}::int]`;
  const company = o.company === null ? sql`true` : sql`l.company_id = ${o.company}`;
  const r = await sql<FlaggedRow & { total: number }>`
    SELECT l.id, l.compound_id AS "compoundId", a.name AS "compoundName", l.company_id AS "companyId",
      p.name AS "companyName", to_char(l.period, 'YYYY-MM-DD') AS period, l.status, l.revision,
      l.flags, count(*) OVER ()::int AS total
    FROM ledgers l JOIN areas a ON a.id = l.compound_id
    JOIN property_companies p ON p.id = l.company_id
    WHERE l.period = ${o.period}::date AND ${under} AND ${company}
      AND jsonb_array_length(l.flags) > 0
      AND (l.status = 'published' OR (l.status = 'draft'
        AND ${placeCondition(o.rule, sql.ref('l.area_path'), sql.ref('l.compound_id'))}))
    ORDER BY jsonb_array_length(l.flags) DESC, a.name, l.id
    LIMIT ${o.limit} OFFSET ${o.offset}`.execute(ex);
  return {
    total: r.rows[0]?.total ?? 0,
    items: r.rows.map(({ total: _t, ...x }) => x),
  };
}

export interface RecordMonth {
  period: string;
  compounds: number;
  onTime: number;
  late: number;
  missing: number;
  pending: number;
  flagged: number;
}

/**
 * A company's disclosure month by month over its current compounds (`periods` ascending). Public:
 * the flagged count is of published ledgers only.
 */
export async function companyRecord(
  ex: Executor,
  companyId: number,
  periods: string[],
  now: Date,
): Promise<RecordMonth[]> {
  const dues = periods.map((p) => dueAt(p).toISOString());
  const at = now.toISOString();
  const r = await sql<RecordMonth>`
    WITH m AS (
      SELECT u.p::date AS period, u.due::timestamptz AS due
      FROM unnest(${periods}::date[], ${dues}::text[]) AS u(p, due)
    ), cm AS (
      SELECT m.period, CASE
          WHEN d.first_published_at IS NOT NULL AND d.first_published_at <= ${at}::timestamptz
            THEN CASE WHEN d.first_published_at <= m.due THEN 'on_time' ELSE 'late' END
          WHEN ${at}::timestamptz > m.due THEN 'missing' ELSE 'pending' END AS status,
        EXISTS (SELECT 1 FROM ledgers l WHERE l.compound_id = c.area_id AND l.period = m.period
          AND l.status = 'published' AND jsonb_array_length(l.flags) > 0) AS flagged
      FROM compounds c CROSS JOIN m
      LEFT JOIN ledger_disclosures d ON d.compound_id = c.area_id AND d.period = m.period
      WHERE c.property_company_id = ${companyId}
    )
    SELECT to_char(m.period, 'YYYY-MM-DD') AS period, count(cm.status)::int AS compounds,
      count(*) FILTER (WHERE cm.status = 'on_time')::int AS "onTime",
      count(*) FILTER (WHERE cm.status = 'late')::int AS late,
      count(*) FILTER (WHERE cm.status = 'missing')::int AS missing,
      count(*) FILTER (WHERE cm.status = 'pending')::int AS pending,
      count(*) FILTER (WHERE cm.flagged)::int AS flagged
    FROM m LEFT JOIN cm ON cm.period = m.period
    GROUP BY m.period ORDER BY m.period`.execute(ex);
  return r.rows;
}

export async function companyName(ex: Executor, id: number): Promise<string | null> {
  const r = await sql<{
    name: string;
  }>`SELECT name FROM property_companies WHERE id = ${id}`.execute(ex);
  return r.rows[0]?.name ?? null;
}

/** The latest month with any ledger (YYYY-MM-01), or null. */
export async function latestPeriod(ex: Executor): Promise<string | null> {
  const r = await sql<{ p: string | null }>`
    SELECT to_char(max(period), 'YYYY-MM-DD') AS p FROM ledger_disclosures`.execute(ex);
  return r.rows[0]?.p ?? null;
}
