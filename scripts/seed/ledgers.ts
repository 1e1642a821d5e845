/**
 * 信托制物业 ledgers on a seeded city: thirteen months of ledgers for every compound with a
 * property company (the twelve credit months each judge the month before them), generated
 * set-based in SQL from hashes of the seed:
 * - fees at 0.5–3 元/m²/month over ~85 m² a household, collected at 72–97 %; common revenue from
 *   advertising (more with lifts), parking (60 元 a space at 50–90 % let), occasional venue
 *   rental; spending as shares of the fees collected (cleaning, security, greening more in summer,
 *   common utilities more in the heating season, repairs, the manager's 10 %: about 85 %) and a
 *   quarterly return to owners of about 80 % of the quarter's common revenue;
 * - publication: each company has its discipline (trust-model companies better); most months are
 *   published by the 15th of the following month, some late, some never; months whose planned
 *   publication is after "now" are drafts (or nothing);
 * - anomalies: about 2 % of months carry a big repair that overspends the funds (by 10–30 % of the
 *   month's income, made good by the following months), about 1.5 % a
 *   common-utilities bill six times the usual; about 3 % of published months were corrected
 *   (revision 2, the first one kept with its error and superseded).
 * The flags are then computed by the server's one method (recomputeFlags → geo/ledgers.ts), and
 * the first publication of each month is recorded for disclosure and credit.
 *
 * writeLedgers runs in the governance seed BEFORE the credit, so the seeded credit includes the
 * disclosure factor; insertLedgers (the civic stage) brings an older database up to date: it
 * writes the ledgers when there are none and recomputes the stored credit and lists.
 */
import { sql } from 'kysely';
import { addMonths, beijingMonth } from '../../geo/ledgers.ts';
import { computeCredit, publishLists } from '../../server/db/queries/credit.ts';
import { recomputeFlags } from '../../server/db/queries/ledgers.ts';
import type { SeedWindow } from './calendar.ts';
import type { Tx } from './write.ts';

/** The tables this module writes, in order (seedDatabase's reset empties them in reverse). */
export const LEDGER_TABLES: readonly string[] = ['ledgers', 'ledger_lines', 'ledger_disclosures'];

/** The thirteen ledger months (YYYY-MM-01) before the Beijing month holding `asOf`. */
export function ledgerPeriods(asOf: Date): string[] {
  const current = beijingMonth(new Date(asOf.getTime() - 1));
  return Array.from({ length: 13 }, (_, i) => addMonths(current, i - 13));
}

/** The ledgers with their lines, revisions, disclosures and flags. */
export async function writeLedgers(
  tx: Tx,
  o: { seed: number; window: SeedWindow; now: Date },
): Promise<void> {
  const asOf = new Date(Math.min(o.now.getTime(), o.window.nowS * 1000));
  const periods = ledgerPeriods(asOf);
  const seed = o.seed | 0;
  // A uniform [0, 1) from a key and a salt.
  const h = (key: ReturnType<typeof sql>, salt: number) =>
    sql`((hashint4((${key}) * 64 + ${salt}) # ${seed}::int) & 2147483647)::float8 / 2147483648.0`;
  const ck = sql`c.area_id`;
  const mk = sql`(c.area_id * 16 + m.mi)`;
  await sql`DROP TABLE IF EXISTS _ledger_months`.execute(tx);
  await sql`
    CREATE TEMP TABLE _ledger_months AS
    WITH m AS (
      SELECT u.p::date AS period, u.i::int AS mi FROM unnest(${periods}::date[]) WITH ORDINALITY AS u(p, i)
    ), c AS (
      SELECT c.area_id, c.property_company_id AS company_id, a.path, c.households,
        c.parking_spaces, c.has_elevator,
        0.5 + 2.5 * power(${h(ck, 1)}, 1.6) AS rate,
        0.72 + 0.25 * ${h(ck, 2)} AS coll,
        least(0.97, 0.68 + 0.26 * ${h(sql`p.id`, 3)} + CASE WHEN p.trust_model THEN 0.06 ELSE 0 END) AS p_on
      FROM compounds c JOIN areas a ON a.id = c.area_id
      JOIN property_companies p ON p.id = c.property_company_id
    ), x AS (
      SELECT c.*, m.period, m.mi,
        ${h(mk, 11)} AS r_status, ${h(mk, 12)} AS r_day, ${h(mk, 13)} AS r_anom,
        ${h(mk, 14)} AS r_rev, ${h(mk, 15)} AS r1, ${h(mk, 16)} AS r2, ${h(mk, 17)} AS r3,
        ${h(mk, 18)} AS r4, ${h(mk, 19)} AS r5, ${h(mk, 20)} AS r6, ${h(mk, 21)} AS r7,
        ${h(mk, 22)} AS r8, ${h(mk, 23)} AS r9,
        ((m.period + interval '1 month')::timestamp AT TIME ZONE 'UTC') - interval '8 hours' AS next_ts,
        extract(month FROM m.period)::int AS mon
      FROM c CROSS JOIN m
    ), f AS (
      SELECT x.*,
        round(x.households * 85 * x.rate * 100)::bigint AS billed,
        CASE WHEN x.r_status < x.p_on THEN x.next_ts + make_interval(days => 2 + floor(x.r_day * 13)::int, hours => 10)
          WHEN x.r_status < x.p_on + (1 - x.p_on) * 0.7
            THEN x.next_ts + make_interval(days => 15 + floor(x.r_day * 25)::int, hours => 10)
          ELSE NULL END AS planned_at
      FROM x
    ), g AS (
      SELECT f.*,
        least(f.billed, round(f.billed * f.coll * (0.92 + 0.16 * f.r1)))::bigint AS collected,
        round(CASE WHEN f.has_elevator THEN f.households * 200 * (0.7 + 0.6 * f.r2)
          ELSE f.households * 60 * (0.5 + f.r2) END)::bigint AS advertising,
        round(f.parking_spaces * 6000 * (0.5 + 0.4 * f.r3))::bigint AS parking,
        CASE WHEN f.r4 < 0.25 THEN round(50000 + f.r4 * 1000000)::bigint ELSE 0 END AS venue_rental,
        CASE WHEN f.r5 < 0.2 THEN round(20000 + f.r5 * 650000)::bigint ELSE 0 END AS other_income
      FROM f
    ), i AS (
      SELECT g.*, g.collected + g.advertising + g.parking + g.venue_rental + g.other_income AS income,
        g.advertising + g.parking + g.venue_rental + g.other_income AS common
      FROM g
    )
    SELECT i.area_id AS compound_id, i.company_id, i.path, i.period, i.mi, i.planned_at, i.next_ts,
      i.r_rev, i.r_anom, i.r_day, i.billed, i.collected, i.advertising, i.parking, i.venue_rental,
      i.other_income, i.income, i.common,
      round(i.collected * 0.24 * (0.9 + 0.2 * i.r6))::bigint AS cleaning,
      round(i.collected * CASE WHEN i.mon BETWEEN 5 AND 9 THEN 0.06 ELSE 0.035 END * (0.9 + 0.2 * i.r7))::bigint AS greening,
      round(i.collected * 0.26 * (0.95 + 0.1 * i.r8))::bigint AS security,
      round(i.collected * CASE WHEN i.mon >= 11 OR i.mon <= 3 THEN 0.13 ELSE 0.08 END * (0.9 + 0.2 * i.r9)
        * CASE WHEN i.r_anom >= 0.02 AND i.r_anom < 0.035 THEN 6 ELSE 1 END)::bigint AS utilities,
      round(i.collected * 0.09 * (0.4 + 1.2 * i.r1))::bigint AS repairs,
      round(i.collected * 0.10)::bigint AS management_fee,
      CASE WHEN i.mon IN (3, 6, 9, 12) THEN round(i.common * 2.0 * (0.8 + 0.4 * i.r2))::bigint ELSE 0 END AS owner_dividend,
      -- A first month's opening balance: what an earlier year left over.
      round(i.billed * (0.3 + 0.5 * i.r3))::bigint AS opening,
      CASE WHEN i.planned_at <= ${asOf.toISOString()}::timestamptz THEN 'published'
        WHEN i.planned_at IS NOT NULL OR i.r_rev < 0.3 THEN 'draft' ELSE NULL END AS status,
      (i.planned_at IS NOT NULL AND i.r_rev > 0.97
        AND i.planned_at + interval '12 days' <= ${asOf.toISOString()}::timestamptz) AS corrected
    FROM i`.execute(tx);
  await sql`DELETE FROM _ledger_months WHERE status IS NULL`.execute(tx);
  await sql`ALTER TABLE _ledger_months ADD COLUMN spending bigint, ADD COLUMN carried bigint`.execute(
    tx,
  );
  await sql`
    UPDATE _ledger_months SET spending = cleaning + greening + security + utilities + repairs
      + management_fee + owner_dividend`.execute(tx);
  // Carried in: the opening balance of the first month plus what the earlier published months left.
  await sql`
    UPDATE _ledger_months t SET carried = s.carried
    FROM (SELECT compound_id, period,
        first_value(opening) OVER w
          + coalesce(sum(income - spending) FILTER (WHERE status = 'published') OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS carried
      FROM _ledger_months WINDOW w AS (PARTITION BY compound_id ORDER BY period)) s
    WHERE s.compound_id = t.compound_id AND s.period = t.period`.execute(tx);
  // The big-repair anomaly: a repair overspending the money available by 10–30 % of the month's
  // income (so the next months' surplus can make it good), then the balances carried again.
  await sql`
    UPDATE _ledger_months SET
      repairs = repairs + greatest(0, carried + income - spending) + round(income * (0.1 + 0.2 * r_day))::bigint,
      spending = spending + greatest(0, carried + income - spending) + round(income * (0.1 + 0.2 * r_day))::bigint
    WHERE r_anom < 0.02`.execute(tx);
  // Carried in: the opening balance of the first month plus what the earlier published months left.
  await sql`
    UPDATE _ledger_months t SET carried = s.carried
    FROM (SELECT compound_id, period,
        first_value(opening) OVER w
          + coalesce(sum(income - spending) FILTER (WHERE status = 'published') OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS carried
      FROM _ledger_months WINDOW w AS (PARTITION BY compound_id ORDER BY period)) s
    WHERE s.compound_id = t.compound_id AND s.period = t.period`.execute(tx);
  const now = sql`${asOf.toISOString()}::timestamptz`;
  // The current revisions, then the first (erroneous) revisions of corrected months.
  await sql`
    INSERT INTO ledgers (compound_id, company_id, area_path, period, revision, status, reason,
      carried, billed, collected, common, spending, created_at, updated_at, published_at)
    SELECT compound_id, company_id, path, period, CASE WHEN corrected THEN 2 ELSE 1 END, status,
      CASE WHEN corrected THEN '更正：维修养护支出金额录入错误（多录一位）' END,
      carried, billed, collected, common, spending,
      least(next_ts + interval '1 day', ${now}),
      CASE WHEN status = 'draft' THEN least(next_ts + interval '1 day', ${now})
        WHEN corrected THEN planned_at + interval '9 days' ELSE planned_at END,
      CASE WHEN status = 'published' THEN
        CASE WHEN corrected THEN planned_at + interval '9 days' ELSE planned_at END END
    FROM _ledger_months ORDER BY compound_id, period`.execute(tx);
  await sql`
    INSERT INTO ledgers (compound_id, company_id, area_path, period, revision, status, reason,
      carried, billed, collected, common, spending, created_at, updated_at, published_at)
    SELECT compound_id, company_id, path, period, 1, 'superseded', NULL, carried, billed,
      collected, common, spending + 9 * repairs, next_ts + interval '1 day', planned_at, planned_at
    FROM _ledger_months WHERE corrected ORDER BY compound_id, period`.execute(tx);
  // One line per category with money (repairs ×10 on a corrected month's first revision).
  const pick = (names: string[], r: ReturnType<typeof sql>) =>
    sql`(${names}::text[])[1 + floor(${r} * ${names.length})::int]`;
  await sql`
    INSERT INTO ledger_lines (ledger_id, line_no, category, counterpart, amount, occurred_on, note)
    SELECT l.id, row_number() OVER (PARTITION BY l.id ORDER BY v.n)::int, v.cat, v.who,
      CASE WHEN v.cat = 'repairs' AND l.status = 'superseded' THEN v.amount * 10 ELSE v.amount END,
      t.period + least(v.d, 27), v.note
    FROM _ledger_months t JOIN ledgers l ON l.compound_id = t.compound_id AND l.period = t.period
    CROSS JOIN LATERAL (VALUES
      (1, 'fee_billed', t.billed, '全体业主', 0, '当月物业费应收'),
      (2, 'fee_collected', t.collected, '业主缴费', floor(t.r_day * 20)::int + 5, '当月物业费实收（含补缴）'),
      (3, 'advertising', t.advertising,
        ${pick(['兰州分众传媒广告有限公司', '甘肃新视界广告有限公司', '兰州金城楼宇传媒'], sql`t.r_anom`)}, 25, '电梯及道闸广告'),
      (4, 'parking', t.parking, '车位承租业主', 26, '地面停车位租金'),
      (5, 'venue_rental', t.venue_rental, ${pick(['社区老年大学', '快递驿站', '便民菜店', '兰州乐学托管中心'], sql`t.r_rev`)}, 10, '公共用房租赁'),
      (6, 'other_income', t.other_income, ${pick(['废旧物资回收站', '充电桩运营商', '通信基站'], sql`t.r_day`)}, 18, NULL),
      (7, 'repairs', t.repairs, ${pick(['兰州安居维修工程队', '甘肃恒达建筑安装有限公司', '七里河区水电维修部', '兰州安泰电梯维保有限公司'], sql`t.r_rev`)}, 12,
        CASE WHEN t.r_anom < 0.02 THEN '屋面防水及管网大修' ELSE '日常维修' END),
      (8, 'cleaning', t.cleaning, ${pick(['兰州洁美保洁服务有限公司', '甘肃净源环境服务有限公司', '兰州清风保洁服务部'], sql`t.r_anom`)}, 28, '保洁外包服务费'),
      (9, 'greening', t.greening, ${pick(['兰州绿源园林绿化有限公司', '甘肃春晖园艺有限公司'], sql`t.r_day`)}, 20, NULL),
      (10, 'security', t.security, ${pick(['兰州金盾保安服务有限公司', '甘肃安泰保安服务有限公司'], sql`t.r_rev`)}, 28, '秩序维护服务费'),
      (11, 'utilities', t.utilities, '国网兰州供电公司', 22, '公共照明、电梯及水泵电费'),
      (12, 'management_fee', t.management_fee, '物业服务企业', 28, '信托制物业酬金（物业费实收 10%）'),
      (13, 'owner_dividend', t.owner_dividend, '全体业主', 27, '公共收益季度返还')
    ) AS v(n, cat, amount, who, d, note)
    WHERE v.amount > 0
    ORDER BY l.id`.execute(tx);
  // The first publication of each month: what disclosure and credit judge.
  await sql`
    INSERT INTO ledger_disclosures (compound_id, period, company_id, area_path, first_published_at)
    SELECT compound_id, period, min(company_id), min(area_path), min(published_at)
    FROM ledgers WHERE published_at IS NOT NULL GROUP BY compound_id, period`.execute(tx);
  await sql`DROP TABLE _ledger_months`.execute(tx);
  await recomputeFlags(tx, { ids: null, now: asOf });
}

/**
 * The civic stage: on a database whose governance was seeded before the ledgers existed, writes
 * them and brings the stored credit (and the published 红黑榜) up to date with the disclosure
 * factor. Nothing when ledgers exist (the full seed writes them before the credit).
 */
export async function insertLedgers(
  tx: Tx,
  o: { seed: number; window: SeedWindow; now: Date },
): Promise<void> {
  const has = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM (SELECT 1 FROM ledgers LIMIT 1) s`.execute(tx);
  if (has.rows[0]!.n > 0) return;
  await writeLedgers(tx, o);
  const asOf = new Date(Math.min(o.now.getTime(), o.window.nowS * 1000));
  const p = await sql<{ period: string; listed: boolean }>`
    SELECT to_char(period, 'YYYY-MM-DD') AS period,
      EXISTS (SELECT 1 FROM credit_lists l WHERE l.period = c.period) AS listed
    FROM (SELECT DISTINCT period FROM company_credit) c ORDER BY period`.execute(tx);
  for (const r of p.rows) {
    await computeCredit(tx, r.period, asOf);
    if (r.listed) await publishLists(tx, r.period);
  }
}
